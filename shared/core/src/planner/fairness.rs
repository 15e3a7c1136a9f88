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

#[cfg(test)]
mod tests {
    use super::*;

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
