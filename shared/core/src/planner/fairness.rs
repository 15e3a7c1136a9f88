//! The order a scheduler run visits debtors in, so that every creditor gets a turn.

use std::collections::BTreeMap;

/// Each creditor's debtors interleaved, one of each creditor a round: a creditor with thousands of due
/// debtors, or one whose every debtor fails slowly, cannot hold back the others' reminders, and a run that
/// stops early (its budget spent) has served every creditor alike.
pub fn round_robin<K: Clone, V>(groups: BTreeMap<K, Vec<V>>) -> Vec<(K, V)> {
    let mut queues: Vec<(K, std::vec::IntoIter<V>)> = groups.into_iter().map(|(k, v)| (k, v.into_iter())).collect();
    let mut order = Vec::new();
    loop {
        let before = order.len();
        for (key, queue) in &mut queues {
            if let Some(next) = queue.next() {
                order.push((key.clone(), next));
            }
        }
        if order.len() == before {
            return order;
        }
    }
}

/// A debtor with the invoices the due index named for them.
pub type DueDebtor<D, I> = (D, Vec<I>);

/// Debtors of one creditor handed to a worker together, with the invoices the due index named for each.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WorkBatch<C, D, I> {
    pub creditor: C,
    pub debtors: Vec<DueDebtor<D, I>>,
}

/// Each creditor's due debtors cut into batches of at most `size`, in round-robin order of creditors: the
/// first batch of every creditor comes before the second of any, so a creditor with 50,000 due debtors
/// waits behind nobody and holds nobody back.
pub fn work_batches<C: Clone + Ord, D, I>(
    due: BTreeMap<C, Vec<DueDebtor<D, I>>>,
    size: usize,
) -> Vec<WorkBatch<C, D, I>> {
    let size = size.max(1);
    let chunked: BTreeMap<C, Vec<Vec<DueDebtor<D, I>>>> = due
        .into_iter()
        .map(|(creditor, debtors)| {
            let mut chunks = Vec::new();
            let mut rest = debtors.into_iter().peekable();
            while rest.peek().is_some() {
                chunks.push(rest.by_ref().take(size).collect());
            }
            (creditor, chunks)
        })
        .collect();
    round_robin(chunked)
        .into_iter()
        .map(|(creditor, debtors)| WorkBatch { creditor, debtors })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_hold_one_creditor_each_and_take_creditors_in_turn() {
        let due = BTreeMap::from([
            ("big", (1..=5).map(|d| (d, vec![d * 10])).collect::<Vec<_>>()),
            ("small", vec![(100, vec![1000, 1001])]),
        ]);
        let batches = work_batches(due, 2);
        let shape: Vec<(&str, Vec<i32>)> = batches
            .iter()
            .map(|b| (b.creditor, b.debtors.iter().map(|(d, _)| *d).collect()))
            .collect();
        assert_eq!(
            shape,
            [
                ("big", vec![1, 2]),
                ("small", vec![100]),
                ("big", vec![3, 4]),
                ("big", vec![5])
            ]
        );
        assert_eq!(batches[1].debtors[0].1, [1000, 1001]);
    }

    #[test]
    fn every_creditor_gets_a_turn_each_round() {
        let groups = BTreeMap::from([("big", vec![1, 2, 3, 4]), ("small", vec![10]), ("two", vec![20, 21])]);
        let order: Vec<(&str, i32)> = round_robin(groups);
        assert_eq!(
            order,
            [
                ("big", 1),
                ("small", 10),
                ("two", 20),
                ("big", 2),
                ("two", 21),
                ("big", 3),
                ("big", 4)
            ]
        );
        assert!(round_robin(BTreeMap::<u8, Vec<u8>>::new()).is_empty());
    }
}
