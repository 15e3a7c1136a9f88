//! How a part payment is applied. In each of the eight countries whose law Duly follows, a payment that
//! does not cover everything owed on a debt goes first to the creditor's costs, then to the interest, and
//! only then to the principal; interest keeps running on the principal that is really left.

use chrono::NaiveDate;

/// Where each country's law sets the order.
pub fn law(country: &str) -> Option<(&'static str, &'static str)> {
    // As each statute is cited in its own country; Finland has none, and Duly follows the practice the
    // Interest Act leaves in place.
    Some(match country {
        "EE" => (
            "Võlaõigusseadus § 88",
            "https://www.riigiteataja.ee/en/eli/ee/Riigikogu/act/504042014002/consolide",
        ),
        "DE" => ("BGB § 367 Abs. 1", "https://www.gesetze-im-internet.de/bgb/__367.html"),
        "LT" => (
            "Civilinio kodekso 6.54 str. 1 d.",
            "https://e-seimas.lrs.lt/portal/legalAct/lt/TAD/TAIS.245495/asr",
        ),
        "LV" => ("Civillikuma 1843. pants", "https://likumi.lv/ta/id/90220"),
        "FI" => (
            "Korkolaki 633/1982",
            "https://www.finlex.fi/fi/laki/ajantasa/1982/19820633",
        ),
        "BG" => (
            "Закон за задълженията и договорите, чл. 76, ал. 2",
            "https://lex.bg/laws/ldoc/2121934337",
        ),
        "RO" => (
            "Codul civil, art. 1509 alin. (1)",
            "https://legislatie.just.ro/Public/DetaliiDocument/255190",
        ),
        "PL" => (
            "Kodeks cywilny, art. 451 § 1",
            "https://isap.sejm.gov.pl/isap.nsf/DocDetails.xsp?id=WDU19640160093",
        ),
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
