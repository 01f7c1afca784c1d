//! `Profile`: which of the retailer's named seams are broken. `siloed` breaks them all,
//! `unified` repairs them all; `break_seam` / `fix_seam` change one at a time.

use std::collections::BTreeSet;

use super::ReferenceError;

/// Every seam, in documentation order (docs/reference.md).
const SEAMS: [&str; 9] = [
    "inventory-sync",
    "store-web-orders",
    "notifier",
    "fulfilment",
    "invoice-backoffice",
    "crm-memory",
    "after-hours",
    "contact-desk",
    "marketing",
];

const PROFILES: [&str; 2] = ["siloed", "unified"];

/// The names of all seams.
pub fn seams() -> &'static [&'static str] {
    &SEAMS
}

/// The names of the built-in profiles.
pub fn profiles() -> &'static [&'static str] {
    &PROFILES
}

/// A seam, resolved to an index for cheap checks on the hot path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seam {
    InventorySync,
    StoreWebOrders,
    Notifier,
    Fulfilment,
    InvoiceBackoffice,
    CrmMemory,
    AfterHours,
    ContactDesk,
    Marketing,
}

impl Seam {
    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The profile it started from (`siloed`, `unified`).
    pub base: String,
    broken: [bool; SEAMS.len()],
}

impl Profile {
    pub fn named(name: &str) -> Result<Profile, ReferenceError> {
        let broken = match name {
            "siloed" => true,
            "unified" => false,
            other => {
                return Err(ReferenceError::unknown("profile", other, &PROFILES));
            }
        };
        Ok(Profile {
            base: name.to_string(),
            broken: [broken; SEAMS.len()],
        })
    }

    pub fn siloed() -> Profile {
        Profile {
            base: "siloed".into(),
            broken: [true; SEAMS.len()],
        }
    }

    pub fn unified() -> Profile {
        Profile {
            base: "unified".into(),
            broken: [false; SEAMS.len()],
        }
    }

    pub fn break_seam(&mut self, name: &str) -> Result<(), ReferenceError> {
        self.set(name, true)
    }

    pub fn fix_seam(&mut self, name: &str) -> Result<(), ReferenceError> {
        self.set(name, false)
    }

    fn set(&mut self, name: &str, broken: bool) -> Result<(), ReferenceError> {
        let i = SEAMS
            .iter()
            .position(|s| *s == name)
            .ok_or_else(|| ReferenceError::unknown("seam", name, &SEAMS))?;
        self.broken[i] = broken;
        Ok(())
    }

    pub fn is_broken(&self, seam: Seam) -> bool {
        self.broken[seam.index()]
    }

    /// Names of the broken seams, in documentation order.
    pub fn broken(&self) -> BTreeSet<&'static str> {
        SEAMS
            .iter()
            .zip(self.broken)
            .filter(|(_, b)| *b)
            .map(|(s, _)| *s)
            .collect()
    }

    /// `siloed`, `unified`, or e.g. `unified+break:notifier`.
    pub fn label(&self) -> String {
        let base_broken = self.base == "siloed";
        let mut label = self.base.clone();
        for (name, broken) in SEAMS.iter().zip(self.broken) {
            if broken != base_broken {
                label.push_str(if broken { "+break:" } else { "+fix:" });
                label.push_str(name);
            }
        }
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seam_indexes_follow_the_name_table() {
        let all = [
            Seam::InventorySync,
            Seam::StoreWebOrders,
            Seam::Notifier,
            Seam::Fulfilment,
            Seam::InvoiceBackoffice,
            Seam::CrmMemory,
            Seam::AfterHours,
            Seam::ContactDesk,
            Seam::Marketing,
        ];
        for (i, seam) in all.into_iter().enumerate() {
            let mut p = Profile::unified();
            p.break_seam(SEAMS[i]).expect("known seam");
            assert!(p.is_broken(seam), "{}", SEAMS[i]);
            assert_eq!(p.broken().len(), 1);
        }
    }

    #[test]
    fn unknown_seam_suggests_the_nearest_and_lists_all() {
        let err = Profile::siloed()
            .fix_seam("notifer")
            .expect_err("unknown seam");
        let text = err.to_string();
        assert!(text.contains("did you mean `notifier`"), "{text}");
        assert!(text.contains("inventory-sync"), "{text}");
    }

    #[test]
    fn labels_name_the_changes() {
        let mut p = Profile::named("unified").expect("known");
        p.break_seam("notifier").expect("known");
        assert_eq!(p.label(), "unified+break:notifier");
        assert!(Profile::named("chaos").is_err());
    }
}
