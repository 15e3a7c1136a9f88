//! Customer groups offered from the platform: every contact group a platform reports (Xero's contact
//! groups, QuickBooks' customer types, Merit's customer groups) becomes a Duly group of the same name,
//! written as the platform writes it, switched on and following the creditor's steps, until the creditor
//! changes it.

use std::collections::BTreeMap;

use crate::policy::CustomerGroup;
use crate::settings::{group_id_for, same_group_title};

/// The most groups a creditor gets from the platform; a platform with more is not mirrored beyond this.
pub const MAX_PLATFORM_GROUPS: usize = 50;

/// The groups to add so that each of `platform_groups` has one, named as the platform names it (in any
/// script, at most 60 characters) under an id of its own: none for a name a group already maps (by its
/// name, its id or its `platform_groups`, alike in any script's case), and none past
/// [`MAX_PLATFORM_GROUPS`].
pub fn groups_to_offer(
    existing: &BTreeMap<String, CustomerGroup>,
    platform_groups: &[String],
) -> Vec<(String, CustomerGroup)> {
    let mut offered: Vec<(String, CustomerGroup)> = Vec::new();
    for platform in platform_groups {
        let platform = platform.trim();
        if platform.is_empty() || platform.len() > 100 || platform.chars().any(char::is_control) {
            continue;
        }
        let maps = |id: &str, g: &CustomerGroup| {
            same_group_title(id, platform)
                || same_group_title(g.title(id), platform)
                || g.platform_groups.iter().any(|p| same_group_title(p, platform))
        };
        if existing.iter().any(|(n, g)| maps(n, g)) || offered.iter().any(|(n, g)| maps(n, g)) {
            continue;
        }
        if existing.len() + offered.len() >= MAX_PLATFORM_GROUPS {
            break;
        }
        let name: String = platform.chars().take(60).collect();
        let id = group_id_for(&name, |id| {
            existing.keys().any(|k| k.eq_ignore_ascii_case(id))
                || offered.iter().any(|(k, _)| k.eq_ignore_ascii_case(id))
        });
        offered.push((
            id,
            CustomerGroup {
                name: name.trim().to_string(),
                enabled: true,
                steps: None,
                platform_groups: vec![platform.to_string()],
                place: Default::default(),
                statement: None,
                attach_invoice: None,
            },
        ));
    }
    offered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{check_group, check_group_name, group_id_for};

    #[test]
    fn each_new_platform_group_becomes_a_group_once_named_as_the_platform_writes_it() {
        let mut existing = BTreeMap::new();
        existing.insert(
            "VIP".to_string(),
            CustomerGroup {
                name: String::new(),
                enabled: false,
                steps: None,
                platform_groups: vec!["Key accounts".into()],
                place: Default::default(),
                statement: None,
                attach_invoice: None,
            },
        );
        let offered = groups_to_offer(
            &existing,
            &[
                "Wholesale".into(),
                "key ACCOUNTS".into(),
                "vip".into(),
                "Kunden (Österreich)".into(),
                "wholesale".into(),
                "Клиенты".into(),
                "КЛИЕНТЫ".into(),
                "Pastāvīgie klienti".into(),
                "Stali klienci – Łódź".into(),
                " ".into(),
            ],
        );
        let named: Vec<(&str, &str)> = offered.iter().map(|(id, g)| (id.as_str(), g.name.as_str())).collect();
        assert_eq!(
            named,
            [
                ("wholesale", "Wholesale"),
                ("kunden-osterreich", "Kunden (Österreich)"),
                ("klienty", "Клиенты"),
                ("pastavigie-klienti", "Pastāvīgie klienti"),
                ("stali-klienci-lodz", "Stali klienci – Łódź"),
            ]
        );
        assert!(offered
            .iter()
            .all(|(id, g)| check_group_name(id).is_ok() && check_group(g).is_ok() && g.enabled));
        assert_eq!(offered[1].1.platform_groups, ["Kunden (Österreich)"]);
        // Offered again, a name the creditor now has (by its name, in any case) is not offered twice.
        existing.extend(offered);
        assert!(groups_to_offer(&existing, &["клиенты".into(), "PASTĀVĪGIE KLIENTI".into()]).is_empty());
        // A name with no letters to write in Latin gets a short hash; a second alike is numbered.
        assert_eq!(group_id_for("☀", |_| false), group_id_for("☀", |_| false));
        assert!(group_id_for("☀", |_| false).starts_with("g-"));
        assert_eq!(group_id_for("Klienty", |id| id == "klienty"), "klienty-2");
    }

    #[test]
    fn a_platform_with_too_many_groups_is_mirrored_only_so_far() {
        let many: Vec<String> = (0..80).map(|n| format!("Group {n}")).collect();
        assert_eq!(groups_to_offer(&BTreeMap::new(), &many).len(), MAX_PLATFORM_GROUPS);
    }
}
