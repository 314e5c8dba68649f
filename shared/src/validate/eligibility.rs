//! .coop eligibility: the registrant certifies that it meets at least one of the criteria of
//! seed 000 ("Eligibility Criteria"), and the form asks which one.
//!
//! Rules: the certification must be given (`certified: true` / `X-COOP-ELIGIBILITY=1`,
//! `eligibility_required`); the criterion must be one of [`EligibilityCriterion::ALL`] by code
//! (`unknown_criterion`).

use crate::error::{ErrorCode, Problem, Problems};
use serde::{Deserialize, Serialize};

/// The eligibility criteria, with stable snake_case codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EligibilityCriterion {
    NcbaMember,
    IcaMember,
    CooperativeUnderLocalLaw,
    AssociationOfCooperatives,
    CommittedToCooperativePrinciples,
    MajorityControlledByCooperatives,
    ServingCooperatives,
    AdvancesCooperativeSector,
}

impl EligibilityCriterion {
    pub const ALL: [EligibilityCriterion; 8] = [
        EligibilityCriterion::NcbaMember,
        EligibilityCriterion::IcaMember,
        EligibilityCriterion::CooperativeUnderLocalLaw,
        EligibilityCriterion::AssociationOfCooperatives,
        EligibilityCriterion::CommittedToCooperativePrinciples,
        EligibilityCriterion::MajorityControlledByCooperatives,
        EligibilityCriterion::ServingCooperatives,
        EligibilityCriterion::AdvancesCooperativeSector,
    ];

    /// The stable code (as in JSON).
    pub fn code(self) -> &'static str {
        match self {
            EligibilityCriterion::NcbaMember => "ncba_member",
            EligibilityCriterion::IcaMember => "ica_member",
            EligibilityCriterion::CooperativeUnderLocalLaw => "cooperative_under_local_law",
            EligibilityCriterion::AssociationOfCooperatives => "association_of_cooperatives",
            EligibilityCriterion::CommittedToCooperativePrinciples => {
                "committed_to_cooperative_principles"
            }
            EligibilityCriterion::MajorityControlledByCooperatives => {
                "majority_controlled_by_cooperatives"
            }
            EligibilityCriterion::ServingCooperatives => "serving_cooperatives",
            EligibilityCriterion::AdvancesCooperativeSector => "advances_cooperative_sector",
        }
    }

    /// The criterion's text, as the registry words it (seed 000).
    pub fn text(self) -> &'static str {
        match self {
            EligibilityCriterion::NcbaMember => "Members of the National Cooperative Business Association (NCBA) if otherwise eligible",
            EligibilityCriterion::IcaMember => "Members of the International Cooperative Alliance (ICA) if otherwise eligible",
            EligibilityCriterion::CooperativeUnderLocalLaw => "Organizations formed as and/or considered cooperatives under applicable local law",
            EligibilityCriterion::AssociationOfCooperatives => "Associations comprised of cooperatives",
            EligibilityCriterion::CommittedToCooperativePrinciples => "Organizations that are committed to the seven cooperative principles",
            EligibilityCriterion::MajorityControlledByCooperatives => "Organizations that are majority controlled by cooperatives",
            EligibilityCriterion::ServingCooperatives => "Entities whose operations are principally dedicated to serving cooperatives",
            EligibilityCriterion::AdvancesCooperativeSector => "For no more than 5,000 registrants, persons or entities whose use of a .coop domain name would, in the opinion of the DCLLC Board, advance the interests of the cooperative sector in general or would assist in the development of cooperatives worldwide",
        }
    }

    pub fn from_code(code: &str) -> Option<EligibilityCriterion> {
        EligibilityCriterion::ALL
            .into_iter()
            .find(|c| c.code() == code)
    }
}

pub(crate) const CERTIFICATION_REQUIRED: &str =
    "the registrant must certify that it meets at least one of the .coop eligibility criteria";

/// The certification problem, on `field`.
pub(crate) fn certification_required(field: &str) -> Problem {
    Problem::new(
        ErrorCode::EligibilityRequired,
        field,
        CERTIFICATION_REQUIRED,
    )
}

/// Checks a criterion code; problems on `field`.
pub(crate) fn check_criterion(
    code: Option<&str>,
    field: &str,
) -> Result<EligibilityCriterion, Problem> {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return Err(Problem::new(
            ErrorCode::Required,
            field,
            "is required: which .coop eligibility criterion the registrant meets",
        ));
    };
    EligibilityCriterion::from_code(code).ok_or_else(|| {
        let codes: Vec<&str> = EligibilityCriterion::ALL.iter().map(|c| c.code()).collect();
        Problem::new(
            ErrorCode::UnknownCriterion,
            field,
            format!(
                "'{}' is not an eligibility criterion; use one of: {}",
                code.chars().take(40).collect::<String>(),
                codes.join(", ")
            ),
        )
    })
}

/// Checks the certification and the criterion (the order's `eligibility` object, read).
/// Problems on `certified_field` and `criterion_field`.
pub fn validate_eligibility(
    certified: bool,
    criterion: Option<&str>,
    certified_field: &str,
    criterion_field: &str,
) -> Result<EligibilityCriterion, Problems> {
    let mut problems = Problems::default();
    if !certified {
        problems.push(certification_required(certified_field));
    }
    let criterion = check_criterion(criterion, criterion_field).map_err(|p| problems.push(p));
    match criterion {
        Ok(criterion) if problems.is_empty() => Ok(criterion),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_criteria_with_distinct_codes_and_texts() {
        let mut codes: Vec<&str> = EligibilityCriterion::ALL.iter().map(|c| c.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 8);
        for criterion in EligibilityCriterion::ALL {
            assert_eq!(
                EligibilityCriterion::from_code(criterion.code()),
                Some(criterion)
            );
            assert_eq!(serde_json::to_value(criterion).unwrap(), criterion.code());
            assert!(!criterion.text().is_empty());
        }
    }

    #[test]
    fn eligibility_rules() {
        assert_eq!(
            validate_eligibility(true, Some("ica_member"), "c", "k"),
            Ok(EligibilityCriterion::IcaMember)
        );
        let codes = |r: Result<EligibilityCriterion, Problems>| -> Vec<ErrorCode> {
            r.unwrap_err().errors.iter().map(|p| p.code).collect()
        };
        assert_eq!(
            codes(validate_eligibility(false, Some("ica_member"), "c", "k")),
            [ErrorCode::EligibilityRequired]
        );
        assert_eq!(
            codes(validate_eligibility(true, Some("ICA"), "c", "k")),
            [ErrorCode::UnknownCriterion]
        );
        assert_eq!(
            codes(validate_eligibility(true, None, "c", "k")),
            [ErrorCode::Required]
        );
        assert_eq!(
            codes(validate_eligibility(false, Some(""), "c", "k")),
            [ErrorCode::EligibilityRequired, ErrorCode::Required]
        );
    }
}
