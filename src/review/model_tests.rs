use super::*;

#[test]
fn a_verdict_that_disagrees_with_truora_needs_a_reason_for_its_direction() {
    assert_eq!(
        decide(Verdict::Pass, Some(&Status::Failure)),
        Ok(ReasonNeed::Required(Direction::FailureToSuccess))
    );
    assert_eq!(
        decide(Verdict::Fail, Some(&Status::Success)),
        Ok(ReasonNeed::Required(Direction::SuccessToFailure))
    );
    assert_eq!(
        decide(Verdict::Pass, Some(&Status::Success)),
        Ok(ReasonNeed::None)
    );
    assert_eq!(
        decide(Verdict::Fail, Some(&Status::Failure)),
        Ok(ReasonNeed::None)
    );
}

#[test]
fn pending_cannot_be_overridden_but_can_be_escalated() {
    assert_eq!(
        decide(Verdict::Pass, Some(&Status::Pending)),
        Err(Refusal::Pending)
    );
    assert_eq!(
        decide(Verdict::Fail, Some(&Status::Pending)),
        Err(Refusal::Pending)
    );
    assert_eq!(
        decide(Verdict::Escalate, Some(&Status::Pending)),
        Ok(ReasonNeed::None)
    );
    assert_eq!(decide(Verdict::Escalate, None), Ok(ReasonNeed::None));
    assert!(Refusal::Pending.to_string().contains("pending"));
    assert!(matches!(
        decide(Verdict::Pass, Some(&Status::parse("reviewing"))),
        Err(Refusal::StatusNotDecidable(s)) if s.contains("reviewing")
    ));
    assert!(decide(Verdict::Pass, None).is_err());
}

#[test]
fn reasons_belong_to_one_direction_except_other() {
    use OverrideReason as R;
    let to_success = R::for_direction(Direction::FailureToSuccess);
    let to_failure = R::for_direction(Direction::SuccessToFailure);
    assert_eq!(
        to_success.iter().map(|r| r.wire_name()).collect::<Vec<_>>(),
        [
            "regular_client",
            "in_person_customer",
            "meets_all_requirements",
            "other"
        ]
    );
    assert_eq!(
        to_failure.iter().map(|r| r.wire_name()).collect::<Vec<_>>(),
        [
            "manipulated_document",
            "manipulated_photo",
            "internal_reasons",
            "other"
        ]
    );
    for r in R::ALL {
        assert_eq!(R::from_wire(r.wire_name()), Some(r));
        assert!(r.fits(Direction::FailureToSuccess) || r.fits(Direction::SuccessToFailure));
        assert!(!r.label().is_empty());
    }
    assert_eq!(R::from_wire("Regular client"), None);
}

#[test]
fn a_decision_checks_its_reason() {
    use OverrideReason as R;
    let failure = Some(&Status::Failure);
    assert_eq!(
        Decision::new(Verdict::Pass, None, failure),
        Err(Refusal::ReasonRequired(Direction::FailureToSuccess))
    );
    assert_eq!(
        Decision::new(Verdict::Pass, Some(R::ManipulatedPhoto), failure),
        Err(Refusal::ReasonDoesNotFit {
            reason: R::ManipulatedPhoto,
            direction: Direction::FailureToSuccess
        })
    );
    assert_eq!(
        Decision::new(Verdict::Fail, Some(R::Other), failure),
        Err(Refusal::ReasonNotExpected)
    );
    let ok = Decision::new(Verdict::Pass, Some(R::RegularClient), failure).unwrap();
    assert_eq!(
        ok.kind(),
        EventKind::Verdict {
            verdict: Verdict::Pass,
            reason: Some(R::RegularClient)
        }
    );
}

#[test]
fn wire_names_round_trip() {
    for v in Verdict::ALL {
        assert_eq!(Verdict::from_wire(v.wire_name()), Some(v));
    }
    assert_eq!(Verdict::from_wire("PASS"), None);
    assert_eq!(Direction::FailureToSuccess.to_string(), "failure→success");
    assert_eq!(Direction::SuccessToFailure.from_status(), Status::Success);
}

/// The event files name verdicts and reasons through serde's derive: its names must be the
/// wire names every other place (CSV, the store's rows, the command line) uses.
#[test]
fn serde_names_are_the_wire_names() {
    for v in Verdict::ALL {
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, format!("\"{}\"", v.wire_name()));
        assert_eq!(serde_json::from_str::<Verdict>(&json).ok(), Some(v));
    }
    for r in OverrideReason::ALL {
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, format!("\"{}\"", r.wire_name()));
        assert_eq!(serde_json::from_str::<OverrideReason>(&json).ok(), Some(r));
    }
}
