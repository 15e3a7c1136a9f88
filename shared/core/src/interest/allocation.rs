//! How a part payment is applied. In each of the eight countries whose law Duly follows, a payment that
//! does not cover everything owed on a debt goes first to the creditor's costs, then to the interest, and
//! only then to the principal; interest keeps running on the principal that is really left.

use chrono::NaiveDate;

/// Where each country's law sets the order.
pub fn law(country: &str) -> Option<&'static str> {
    Some(match country {
        "EE" => "Law of Obligations Act § 88 (costs of collection, then interest, then the principal): https://www.riigiteataja.ee/en/eli/ee/Riigikogu/act/504042014002/consolide",
        "DE" => "BGB § 367 (1) (zunächst auf die Kosten, dann auf die Zinsen und zuletzt auf die Hauptleistung): https://www.gesetze-im-internet.de/bgb/__367.html",
        "LT" => "Civil Code art. 6.54 (1) (the creditor's costs of receiving performance, then interest, then the principal): https://e-seimas.lrs.lt/portal/legalAct/lt/TAD/TAIS.245495/asr",
        "LV" => "Civil Law § 1843 (a payment short of the whole debt goes to costs and interest before the capital): https://likumi.lv/ta/id/90220",
        "FI" => "No Finnish statute orders a business debtor's part payment; Duly follows the order of Finnish practice (costs, then interest, then the capital), which the Interest Act (633/1982) leaves in place: https://www.finlex.fi/fi/laki/ajantasa/1982/19820633",
        "BG" => "Obligations and Contracts Act art. 76 (2) (costs, then interest, then the principal): https://lex.bg/laws/ldoc/2121934337",
        "RO" => "Civil Code art. 1509 (1) (costs, then interest, then the capital): https://legislatie.just.ro/Public/DetaliiDocument/255190",
        "PL" => "Civil Code art. 451 § 1 (the creditor may apply a payment first to overdue interest and costs; Duly applies it so on the creditor's behalf): https://isap.sejm.gov.pl/isap.nsf/DocDetails.xsp?id=WDU19640160093",
        _ => return None,
    })
}

/// What lowered what is owed on an invoice, as the engine applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// A payment: costs, interest and principal in the law's order.
    Paid { on: NaiveDate, amount: i64 },
    /// A credit note: it takes back part of the invoice, so it lowers the principal.
    Credited { on: NaiveDate, amount: i64 },
    /// The balance moved without an itemised payment or credit note (an edited invoice): the principal
    /// moves by as much (negative where the balance rose).
    Adjusted { on: NaiveDate, amount: i64 },
}

impl Settled {
    pub fn on(&self) -> NaiveDate {
        match self {
            Settled::Paid { on, .. } | Settled::Credited { on, .. } | Settled::Adjusted { on, .. } => *on,
        }
    }

    /// Payments and credit notes are never negative; an adjustment may be.
    pub(super) fn is_valid(&self) -> bool {
        match self {
            Settled::Paid { amount, .. } | Settled::Credited { amount, .. } => *amount >= 0,
            Settled::Adjusted { .. } => true,
        }
    }
}

/// How one of them was applied, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    pub settled: Settled,
    pub to_costs: i64,
    pub to_interest: i64,
    /// Negative where an adjustment raised the balance.
    pub to_principal: i64,
    pub principal_after: i64,
}

/// The running account of one invoice while payments are applied.
pub(super) struct Ledger {
    principal: i64,
    costs: i64,
    costs_paid: i64,
    interest_paid: i64,
    due: NaiveDate,
    allocations: Vec<Allocation>,
}

impl Ledger {
    pub(super) fn new(principal: i64, costs: i64, due: NaiveDate) -> Ledger {
        Ledger {
            principal,
            costs,
            costs_paid: 0,
            interest_paid: 0,
            due,
            allocations: Vec::new(),
        }
    }

    pub(super) fn principal(&self) -> i64 {
        self.principal
    }

    pub(super) fn into_allocations(self) -> Vec<Allocation> {
        self.allocations
    }

    /// Applies `settled` with `accrued` interest (whole minor units) owed up to its day.
    pub(super) fn apply(&mut self, settled: &Settled, accrued: i64) {
        let (mut to_costs, mut to_interest) = (0, 0);
        let to_principal = match *settled {
            Settled::Paid { on, amount } => {
                // Costs are owed once the invoice is late, not before.
                let costs_owed = if on > self.due { self.costs - self.costs_paid } else { 0 };
                to_costs = amount.min(costs_owed.max(0));
                to_interest = (amount - to_costs).min((accrued - self.interest_paid).max(0));
                (amount - to_costs - to_interest).min(self.principal)
            }
            Settled::Credited { amount, .. } => amount.min(self.principal),
            Settled::Adjusted { amount, .. } => amount.min(self.principal),
        };
        self.costs_paid += to_costs;
        self.interest_paid += to_interest;
        self.principal -= to_principal;
        self.allocations.push(Allocation {
            settled: *settled,
            to_costs,
            to_interest,
            to_principal,
            principal_after: self.principal,
        });
    }
}
