//! Whom an e-mail reminder goes to: whoever the invoice went to, as the platform says, else the contact's
//! address, with the people the platform copies on invoices in copy.

use crate::model::Debtor;

/// The most addresses in copy.
pub const MAX_CC: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipients {
    pub to: String,
    pub cc: Vec<String>,
}

/// `bill_to` holds each listed invoice's own recipients, oldest invoice first. The first of them not
/// refused (a hard bounce or a complaint) is the recipient, else the contact's address; the others and
/// the contact's copies go in copy, each once and none refused. `None` when nobody can be written to.
pub fn recipients(debtor: &Debtor, bill_to: &[&[String]]) -> Option<Recipients> {
    let usable = |a: &&String| !debtor.controls.refuses(a);
    let mut candidates: Vec<&String> = bill_to.iter().flat_map(|list| list.iter()).filter(usable).collect();
    candidates.extend(debtor.email.iter().filter(usable));
    candidates.extend(debtor.cc.iter().filter(usable));
    let mut seen: Vec<String> = Vec::new();
    for address in candidates {
        if !seen.iter().any(|s| s.eq_ignore_ascii_case(address)) {
            seen.push(address.clone());
        }
    }
    let mut all = seen.into_iter();
    let to = all.next()?;
    Some(Recipients {
        to,
        cc: all.take(MAX_CC).collect(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::model::ids::{CreditorId, DebtorId};
    use crate::model::RefusedAddress;

    fn debtor(email: Option<&str>, cc: &[&str]) -> Debtor {
        Debtor {
            creditor_id: CreditorId::parse("c1").unwrap(),
            debtor_id: DebtorId::parse("d1").unwrap(),
            name: "Red Rock".into(),
            email: email.map(str::to_string),
            phone: None,
            phone_kind: Default::default(),
            phone_refused: None,
            language: None,
            country: None,
            time_zone: None,
            updated_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
            platform_groups: vec![],
            cc: cc.iter().map(|s| s.to_string()).collect(),
            controls: Default::default(),
            history: Default::default(),
            paid_late: Vec::new(),
        }
    }

    #[test]
    fn the_invoices_recipient_first_then_the_contact_in_copy() {
        let billed = vec!["billing@redrock.example".to_string(), "cfo@redrock.example".to_string()];
        let r = recipients(
            &debtor(Some("ap@redrock.example"), &["owner@redrock.example"]),
            &[&billed],
        )
        .unwrap();
        assert_eq!(r.to, "billing@redrock.example");
        assert_eq!(
            r.cc,
            ["cfo@redrock.example", "ap@redrock.example", "owner@redrock.example"]
        );
        let plain = recipients(&debtor(Some("ap@redrock.example"), &[]), &[&[]]).unwrap();
        assert_eq!((plain.to.as_str(), plain.cc.len()), ("ap@redrock.example", 0));
    }

    #[test]
    fn a_refused_address_is_skipped_and_nobody_left_means_no_email() {
        let mut d = debtor(Some("AP@redrock.example"), &["ap@redrock.example"]);
        let billed = vec!["billing@redrock.example".to_string()];
        d.controls.email_refused = Some(RefusedAddress {
            address: "billing@redrock.example".into(),
            why: "bounce".into(),
            at: Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap(),
        });
        let r = recipients(&d, &[&billed]).unwrap();
        assert_eq!(r.to, "AP@redrock.example");
        assert!(
            r.cc.is_empty(),
            "the same address in another case is copied once: {:?}",
            r.cc
        );
        assert_eq!(recipients(&debtor(None, &[]), &[]), None);
    }

    #[test]
    fn every_address_that_bounced_stays_refused_not_only_the_latest() {
        let mut d = debtor(Some("ap@redrock.example"), &["owner@redrock.example"]);
        let billed = vec!["billing@redrock.example".to_string()];
        let at = Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap();
        for address in ["billing@redrock.example", "AP@redrock.example"] {
            d.controls.refuse(RefusedAddress {
                address: address.into(),
                why: "bounce".into(),
                at,
            });
        }
        let r = recipients(&d, &[&billed]).unwrap();
        assert_eq!((r.to.as_str(), r.cc.len()), ("owner@redrock.example", 0));
        for n in 0..20 {
            d.controls.refuse(RefusedAddress {
                address: format!("old{n}@redrock.example"),
                why: "bounce".into(),
                at,
            });
        }
        assert_eq!(d.controls.earlier_refused.len(), crate::model::MAX_REFUSED, "bounded");
        assert!(d.controls.refuses("old19@redrock.example") && d.controls.refuses("old18@redrock.example"));
    }
}
