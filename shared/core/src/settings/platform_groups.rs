//! Customer groups offered from the platform: every contact group a platform reports (Xero's contact
//! groups, QuickBooks' customer types) becomes a Duly group of the same name, switched on and following
//! the creditor's steps, until the creditor changes it.

use std::collections::BTreeMap;

use crate::policy::CustomerGroup;

/// The most groups a creditor gets from the platform; a platform with more is not mirrored beyond this.
pub const MAX_PLATFORM_GROUPS: usize = 50;

/// A group name Duly accepts for a platform's name: letters, digits, spaces, `-` and `_`, at most 40.
fn group_name(platform: &str) -> Option<String> {
    let cleaned: String = platform
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' ') {
                c
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let name: String = words.join(" ").chars().take(40).collect();
    let name = name.trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// The groups to add so that each of `platform_groups` has one: none for a name a group already maps (by
/// its own name or its `platform_groups`, in any case), and none past [`MAX_PLATFORM_GROUPS`].
pub fn groups_to_offer(
    existing: &BTreeMap<String, CustomerGroup>,
    platform_groups: &[String],
) -> Vec<(String, CustomerGroup)> {
    let mut offered: Vec<(String, CustomerGroup)> = Vec::new();
    for platform in platform_groups {
        let platform = platform.trim();
        if platform.is_empty() || platform.len() > 100 {
            continue;
        }
        let maps = |name: &str, g: &CustomerGroup| {
            name.eq_ignore_ascii_case(platform)
                || g.platform_groups
                    .iter()
                    .any(|p| p.trim().eq_ignore_ascii_case(platform))
        };
        if existing.iter().any(|(n, g)| maps(n, g)) || offered.iter().any(|(n, g)| maps(n, g)) {
            continue;
        }
        if existing.len() + offered.len() >= MAX_PLATFORM_GROUPS {
            break;
        }
        let Some(mut name) = group_name(platform) else { continue };
        if existing.contains_key(&name) || offered.iter().any(|(n, _)| *n == name) {
            // Two platform names that clean up alike: the second keeps its own, numbered.
            name = format!("{} 2", name.chars().take(38).collect::<String>());
        }
        offered.push((
            name,
            CustomerGroup {
                enabled: true,
                steps: None,
                platform_groups: vec![platform.to_string()],
                place: Default::default(),
                statement: None,
            },
        ));
    }
    offered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::check_group_name;

    #[test]
    fn each_new_platform_group_becomes_a_group_once() {
        let mut existing = BTreeMap::new();
        existing.insert(
            "VIP".to_string(),
            CustomerGroup {
                enabled: false,
                steps: None,
                platform_groups: vec!["Key accounts".into()],
                place: Default::default(),
                statement: None,
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
                " ".into(),
            ],
        );
        let names: Vec<&str> = offered.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Wholesale", "Kunden sterreich"]);
        assert!(offered.iter().all(|(n, g)| check_group_name(n).is_ok() && g.enabled));
        assert_eq!(offered[1].1.platform_groups, ["Kunden (Österreich)"]);
    }

    #[test]
    fn a_platform_with_too_many_groups_is_mirrored_only_so_far() {
        let many: Vec<String> = (0..80).map(|n| format!("Group {n}")).collect();
        assert_eq!(groups_to_offer(&BTreeMap::new(), &many).len(), MAX_PLATFORM_GROUPS);
    }
}
