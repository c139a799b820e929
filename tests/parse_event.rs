//! `parse_event::<E>` reads a body as `parse_as(E::COMMAND)` does: the same event on every
//! fixture of that command, the same errors on every other fixture and on every cut of them.

mod common;

use tim_callback::events::c2c::{C2cAfterSendMsg, C2cBeforeSendMsg};
use tim_callback::events::group::GroupAfterSendMsg;
use tim_callback::events::push::PushOfflinePush;
use tim_callback::events::relationship::SnsPrevFriendAdd;
use tim_callback::events::state::StateChange;
use tim_callback::{Callback, Event, parse_as, parse_event};

/// Checks `E` against `parse_as` on every fixture; returns how many were its command's.
fn agrees<E: Event>(unwrap: impl Fn(Callback<'_>) -> Option<E::Of<'_>>) -> usize
where
    for<'x> E::Of<'x>: PartialEq,
{
    let command = E::COMMAND.as_str();
    let mut own = 0;
    let mut fixtures = common::command_fixtures();
    for (name, bytes) in common::fixtures() {
        let sniffed = tim_callback::sniff(&bytes).map(|c| c.as_str().to_string());
        fixtures.push((name, sniffed.unwrap_or_default(), bytes));
    }
    // Under Miri (about 1000x slower) whole bodies only, and of those every sixteenth.
    let step = if cfg!(miri) { 16 } else { 1 };
    for (name, fixture_command, bytes) in fixtures.into_iter().step_by(step) {
        // Every body whole, and cut at a few places (errors must agree too).
        let cuts = [
            bytes.len(),
            bytes.len() / 2,
            bytes.len().saturating_sub(1),
            1,
        ];
        for cut in cuts
            .into_iter()
            .take(if cfg!(miri) { 1 } else { cuts.len() })
        {
            let body = &bytes[..cut];
            let mut a = body.to_vec();
            let mut b = body.to_vec();
            let typed = parse_event::<E>(&mut a);
            let reference = parse_as(command, &mut b);
            match (typed, reference) {
                (Ok(event), Ok(cb)) => {
                    let want = unwrap(cb).unwrap_or_else(|| panic!("{name}: another variant"));
                    assert!(event == want, "{name} cut at {cut}: values differ");
                    // A body without a command is read as any event, as `parse_as` reads it.
                    own += usize::from(cut == bytes.len() && fixture_command == command);
                }
                (Err(e), Err(f)) => assert_eq!(e, f, "{name} cut at {cut}"),
                (typed, reference) => panic!(
                    "{name} cut at {cut}: parse_event {:?}, parse_as {:?}",
                    typed.is_ok(),
                    reference.is_ok()
                ),
            }
        }
    }
    own
}

macro_rules! check {
    ($($event:ident),*) => {$(
        let own = agrees::<$event>(|cb| match cb {
            Callback::$event(event) => Some(event),
            _ => None,
        });
        // Under Miri a type may have no fixture among those it reads.
        assert!(own >= 1 || cfg!(miri), "{}: no fixture of its own", stringify!($event));
    )*};
}

#[test]
fn parse_event_reads_what_parse_as_reads() {
    check!(
        C2cBeforeSendMsg,
        C2cAfterSendMsg,
        GroupAfterSendMsg,
        StateChange,
        SnsPrevFriendAdd,
        PushOfflinePush
    );
}

#[test]
fn parse_event_rejects_another_command_and_a_second_command() {
    let mut other = br#"{"CallbackCommand":"State.StateChange","Info":{}}"#.to_vec();
    let e = parse_event::<C2cBeforeSendMsg>(&mut other).unwrap_err();
    assert_eq!(e.kind(), tim_callback::error::ErrorKind::CommandMismatch);
    let mut twice =
        br#"{"CallbackCommand":"State.StateChange","CallbackCommand":"State.StateChange"}"#
            .to_vec();
    let e = parse_event::<StateChange>(&mut twice).unwrap_err();
    assert_eq!(e.kind(), tim_callback::error::ErrorKind::DuplicateKey);
    let mut trailing = br#"{"CallbackCommand":"State.StateChange"} x"#.to_vec();
    let e = parse_event::<StateChange>(&mut trailing).unwrap_err();
    assert_eq!(e.kind(), tim_callback::error::ErrorKind::TrailingBytes);
}
