//! A call step fell due: the creditor gets a task on the Calls page and a notice (in their digest, where
//! they chose one) instead of a message going out.

use duly_adapters::store::StoreError;
use duly_core::calendar::Calendar;
use duly_core::calls::CallTask;
use duly_core::ledger::Invoice;
use duly_core::model::{Creditor, Debtor};
use duly_core::notices::{Notice, NoticeKind};
use duly_core::planner::DueStep;

use super::Run;

impl Run<'_> {
    /// One task per debtor and local day; the creditor is told once, when it is first recorded.
    pub(super) async fn call_task(
        &mut self,
        creditor: &Creditor,
        debtor: &Debtor,
        calendar: &Calendar,
        invoices: &[Invoice],
        calls: &[(usize, DueStep)],
    ) -> Result<(), StoreError> {
        let task = CallTask {
            debtor_id: debtor.debtor_id.clone(),
            day: self.now.with_timezone(&calendar.time_zone).date_naive(),
            invoices: calls.iter().map(|(i, _)| invoices[*i].invoice_id.clone()).collect(),
            steps: calls.iter().map(|(_, d)| d.key.clone()).collect(),
            created_at: self.now,
        };
        if !self.store.put_call(&creditor.creditor_id, &task).await? {
            return Ok(());
        }
        let numbers: Vec<&str> = calls
            .iter()
            .filter_map(|(i, _)| invoices[*i].doc.as_ref().map(|d| d.number.as_str()))
            .collect();
        let window = format!(
            "{}–{} ({})",
            calendar.window.start.format("%H:%M"),
            calendar.window.end.format("%H:%M"),
            duly_core::calendar::names::zone_name(calendar.time_zone)
        );
        let notice = Notice::new(format!("call:{}", task.id()), NoticeKind::CallTask)
            .with("debtor", &debtor.name)
            .with("phone", debtor.phone.as_deref().unwrap_or("–"))
            .with("window", window)
            .with("invoices", numbers.join(", "))
            .at_page("/app/calls");
        self.notify(&creditor.creditor_id, &notice).await;
        Ok(())
    }
}
