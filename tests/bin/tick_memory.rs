//! The fanned-out tick's memory: the most heap it holds at once while it reads a due index of 10,000 and
//! 100,000 entries and puts them on the work queue, with the entries of one creditor and spread over 100.
//! Counted by this process's allocator, from the tick's start to its end, so what the table was filled
//! with does not count. The scheduler function has 128 MB.
//!
//! `make tick-memory` serves DynamoDB from dynoxide and SQS from moto. Arguments (optional): the sizes
//! (default 10000 100000).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use duly_app::scheduler::{dispatch, Budget, Sending};
use duly_local::work_queue::LocalQueue;
use duly_local::{measure, Local};

/// The system allocator, counting the bytes held and the most held since the last reset.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; the counters only observe sizes.
// A global allocator that counts is unsafe by its trait's contract.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on as it is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(held, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            let held = HELD.fetch_add(new_size, Ordering::Relaxed) + new_size;
            PEAK.fetch_max(held, Ordering::Relaxed);
            HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = match args.is_empty() {
        true => vec![10_000, 100_000],
        false => args.iter().map(|a| a.parse()).collect::<Result<_, _>>()?,
    };
    println!("| due entries | creditors | debtors dispatched | batches | tick's peak heap above its start |");
    println!("| --- | --- | --- | --- | --- |");
    for &size in &sizes {
        for creditors in [1, 100] {
            let mut local = Local::new(&format!("tick-memory-{size}-{creditors}")).await;
            let queue: LocalQueue = local.fan_out(&duly_local::aws_config()).await;
            measure::fill_spread(&local, size, 0, None, creditors).await;
            let app = &local.scheduler;
            let sending = Sending {
                outbound: &app.outbound,
                links: app.links.as_ref(),
                fallback_from: app.fallback_from.as_deref(),
                app_url: app.app_url.as_deref(),
                prices: &app.prices,
            };
            let work = app.queue.as_ref().expect("a work queue");
            let now = duly_local::at(measure::DUE_AT);
            let start = HELD.load(Ordering::Relaxed);
            PEAK.store(start, Ordering::Relaxed);
            let (_, dispatched) = dispatch(&app.store, sending, work, Budget::default(), now).await?;
            let peak = PEAK.load(Ordering::Relaxed) - start;
            println!(
                "| {size} | {creditors} | {} | {} | {} |",
                dispatched.debtors,
                dispatched.batches,
                mb(peak)
            );
            drop(queue);
        }
    }
    Ok(())
}
