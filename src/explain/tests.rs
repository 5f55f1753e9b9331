use super::*;

#[test]
fn durations_read_as_hours() {
    assert_eq!(duration(3600), "1 hour");
    assert_eq!(duration(7200), "2 hours");
    assert_eq!(duration(5400), "1 hour 30 minutes");
}

#[test]
fn deploy_time_parts_are_named() {
    let t = Text(vec![
        Part::Literal("arn:aws:ssm:".into()),
        Part::Region,
        Part::Literal(":".into()),
        Part::AccountId,
    ]);
    assert_eq!(
        text(&t),
        "arn:aws:ssm:<the deploying region>:<the deploying account>"
    );
}
