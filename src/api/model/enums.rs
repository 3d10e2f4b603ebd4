//! The enums Truora documents. Each keeps unknown values (Truora adds reasons and types over time).

use crate::api::lenient::open_enum;

open_enum!(
    /// A process's or validation's status.
    Status { Success => "success", Pending => "pending", Failure => "failure" }
);

open_enum!(
    /// Why a failed process failed.
    FailureStatus {
        Declined => "declined",
        Expired => "expired",
        SystemError => "system_error",
        Canceled => "canceled",
    }
);

open_enum!(
    /// The kind of a validation inside a process.
    ValidationType {
        DocumentValidation => "document-validation",
        FaceRecognition => "face-recognition",
        ElectronicSignature => "electronic-signature",
        IdentityQuestions => "identity-questions",
        EmailVerification => "email-verification",
        PhoneVerification => "phone-verification",
    }
);

open_enum!(
    /// The outcome of one check (document validation item, attachment validation).
    CheckResult {
        Valid => "valid",
        Invalid => "invalid",
        Skipped => "skipped",
        Pending => "pending",
    }
);

impl Status {
    pub fn is_failure(&self) -> bool {
        matches!(self, Status::Failure)
    }
}

impl CheckResult {
    /// Statuses that mean "this check did not pass"; `failure`/`failed` appear in some payloads.
    pub fn is_failure(&self) -> bool {
        match self {
            CheckResult::Invalid => true,
            CheckResult::Unknown(s) => matches!(s.as_str(), "failure" | "failed" | "error"),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_kept() {
        assert_eq!(Status::parse("success"), Status::Success);
        let odd = ValidationType::parse("voice-verification");
        assert_eq!(odd, ValidationType::Unknown("voice-verification".into()));
        assert_eq!(odd.to_string(), "voice-verification");
        assert!(CheckResult::parse("invalid").is_failure());
        assert!(!CheckResult::parse("skipped").is_failure());
    }
}
