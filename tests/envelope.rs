//! The query envelope: parameters by name in any order, escapes usable without copying,
//! repeated parameters refused; the app id, the signature and the query's command checked
//! against the body in one call.

mod common;

use tim_callback::{
    Callback, Command, Query, Verifier, envelope::OptPlatform, envelope::QueryError,
    envelope::Rejection, error::ErrorKind,
};

const TEMPLATE: &str = "SdkAppid=888888&CallbackCommand=Group.CallbackAfterNewMemberJoin\
    &contenttype=json&ClientIP=127.0.0.1&OptPlatform=iOS";

#[test]
fn parameters_are_read_by_name_in_any_order() {
    let q = Query::parse(TEMPLATE).unwrap();
    assert_eq!(q.app_id(), Some(888888));
    assert_eq!(q.sdk_app_id().unwrap().raw(), "888888");
    assert_eq!(q.command(), Some(Command::GroupAfterNewMemberJoin));
    assert_eq!(q.content_type().unwrap().raw(), "json");
    assert_eq!(q.client_ip().unwrap().raw(), "127.0.0.1");
    assert_eq!(q.platform(), Some(OptPlatform::Ios));
    assert_eq!((q.sign(), q.request_time()), (None, None));

    // Alert.RequestOverLimit's order, a leading '?', unknown parameters and a fragment.
    let q = Query::parse(
        "?SdkAppid=1400000000&CallbackCommand=Alert.RequestOverLimit&x=1&&OptPlatform=RESTAPI\
         &contenttype=json&Sign=ab&RequestTime=1669872112#frag",
    )
    .unwrap();
    assert_eq!(q.app_id(), Some(1_400_000_000));
    assert_eq!(q.command(), Some(Command::AlertRequestOverLimit));
    assert_eq!(q.platform(), Some(OptPlatform::RestApi));
    assert_eq!(q.sign().unwrap().raw(), "ab");
    assert_eq!(q.request_time().unwrap().to_u64(), Some(1_669_872_112));
    assert_eq!(q.client_ip(), None);

    assert_eq!(Query::parse("").unwrap(), Query::default());
    assert_eq!(Query::from_target("/cb").unwrap(), Query::default());
    assert_eq!(
        Query::from_target(&format!("/tim/cb?{TEMPLATE}")).unwrap(),
        Query::parse(TEMPLATE).unwrap()
    );
    // A parameter without '=' is there with an empty value.
    assert_eq!(
        Query::parse("ClientIP").unwrap().client_ip().unwrap().raw(),
        ""
    );
}

#[test]
fn a_repeated_known_parameter_is_an_error_at_its_second_occurrence() {
    let e = Query::parse("SdkAppid=1&CallbackCommand=A.B&SdkAppid=2").unwrap_err();
    assert_eq!(
        e,
        QueryError::Repeated {
            param: "SdkAppid",
            offset: 31
        }
    );
    assert_eq!(
        e.to_string(),
        "query parameter SdkAppid given twice (again at byte 31)"
    );
    // The moderation callback's spelling counts as the same parameter.
    assert_eq!(
        Query::parse("SdkAppid=1&SdkAppId=2").unwrap_err(),
        QueryError::Repeated {
            param: "SdkAppid",
            offset: 11
        }
    );
    assert_eq!(Query::parse("SdkAppId=7").unwrap().app_id(), Some(7));
    assert_eq!(
        Query::parse("?Sign=a&Sign=a").unwrap_err(),
        QueryError::Repeated {
            param: "Sign",
            offset: 8
        }
    );
    // Unknown parameters may repeat; names are case-sensitive.
    assert!(Query::parse("x=1&x=2&sdkappid=3&SdkAppid=4").is_ok());
}

#[test]
fn escapes_are_checked_at_parse_and_decoded_on_demand() {
    for (query, offset) in [
        ("CallbackCommand=C2C%2", 19),
        ("ClientIP=%zz", 9),
        ("OptPlatform=a%", 13),
    ] {
        let e = Query::parse(query).unwrap_err();
        assert!(
            matches!(e, QueryError::BadEscape { offset: o, .. } if o == offset),
            "{query}: {e:?}"
        );
    }
    // Unknown parameters are not read, so their escapes are not checked either.
    assert!(Query::parse("other=%zz").is_ok());

    let q = Query::parse(
        "CallbackCommand=C2C%2ECallbackBeforeSendMsg&ClientIP=a+b%20c&OptPlatform=i%4FS",
    )
    .unwrap();
    assert_eq!(q.command(), Some(Command::C2cBeforeSendMsg));
    let ip = q.client_ip().unwrap();
    assert_eq!(ip.as_plain(), None);
    assert!(ip.eq_decoded("a b c"));
    assert!(!ip.eq_decoded("a+b%20c"));
    let mut buf = [0u8; 5];
    assert_eq!(ip.decode_into(&mut buf), Ok("a b c"));
    let mut short = [0u8; 4];
    assert_eq!(
        ip.decode_into(&mut short),
        Err(QueryError::TooLong {
            param: "ClientIP",
            needed: 5
        })
    );
    assert_eq!(ip.decoded().collect::<Vec<u8>>(), b"a b c");
    // An escaped platform is kept as written.
    assert_eq!(q.platform(), Some(OptPlatform::Other("i%4FS")));
    let bad = Query::parse("ClientIP=%FF").unwrap().client_ip().unwrap();
    assert_eq!(
        bad.decode_into(&mut buf),
        Err(QueryError::NotUtf8 { param: "ClientIP" })
    );
    // An unknown command with escapes stays as written.
    let q = Query::parse("CallbackCommand=New%2ECommand").unwrap();
    assert_eq!(q.command(), Some(Command::Unknown("New%2ECommand")));
    // Numbers: digits only.
    for (v, want) in [
        ("1", Some(1)),
        ("%31%32", Some(12)),
        ("", None),
        ("1a", None),
        ("18446744073709551616", None),
    ] {
        assert_eq!(
            Query::parse(&format!("SdkAppid={v}")).unwrap().app_id(),
            want,
            "{v}"
        );
    }
}

#[test]
fn platforms_read_both_of_tencents_spellings_as_one() {
    for (text, want) in [
        ("RESTAPI", OptPlatform::RestApi),
        ("Web", OptPlatform::Web),
        ("Android", OptPlatform::Android),
        ("iOS", OptPlatform::Ios),
        ("IOS", OptPlatform::Ios),
        ("Windows", OptPlatform::Windows),
        ("Mac", OptPlatform::Mac),
        ("macOS", OptPlatform::Mac),
        ("iPad", OptPlatform::IPad),
        ("Unknown", OptPlatform::Unknown),
        ("Unkown", OptPlatform::Other("Unkown")),
        ("ios", OptPlatform::Other("ios")),
    ] {
        assert_eq!(OptPlatform::new(text), want, "{text}");
        let query = format!("OptPlatform={text}");
        let q = Query::parse(&query).unwrap();
        assert_eq!(q.platform(), Some(want));
        assert_eq!(q.opt_platform().unwrap().raw(), text);
    }
}

#[test]
fn the_query_command_and_the_body_command_must_agree() {
    let body = br#"{"CallbackCommand":"Group.CallbackAfterGroupFull","GroupId":"@TGS#1"}"#;
    let q = Query::parse("CallbackCommand=Group.CallbackAfterGroupFull").unwrap();
    let mut b = body.to_vec();
    assert!(
        matches!(q.parse_body(&mut b), Ok(Callback::GroupAfterGroupFull(e)) if e.group_id == "@TGS#1")
    );
    // Escaped in the query, same command.
    let q = Query::parse("CallbackCommand=Group%2ECallbackAfterGroupFull").unwrap();
    assert!(q.parse_body(&mut body.to_vec()).is_ok());
    // Another command in the query.
    let q = Query::parse("CallbackCommand=Group.CallbackAfterGroupDestroyed").unwrap();
    let e = q.parse_body(&mut body.to_vec()).unwrap_err();
    assert_eq!(
        (e.kind(), e.key()),
        (ErrorKind::CommandMismatch, Some("CallbackCommand"))
    );
    let q = Query::parse("CallbackCommand=New.Command").unwrap();
    assert_eq!(
        q.parse_body(&mut body.to_vec()).unwrap_err().kind(),
        ErrorKind::CommandMismatch
    );
    // No command in the query: the body's own.
    assert!(matches!(
        Query::default().parse_body(&mut body.to_vec()),
        Ok(Callback::GroupAfterGroupFull(_))
    ));
    // No command in the body: the query's, escaped or not; the result borrows the body only.
    let bare = br#"{"Scene":"C2C"}"#;
    let mut b = bare.to_vec();
    let cb = {
        let owned = String::from("CallbackCommand=Content%43allback.ResultNotify");
        let q = Query::parse(&owned).unwrap();
        q.parse_body(&mut b).unwrap()
    };
    assert!(
        matches!(cb, Callback::ContentResultNotify(n) if n.scene == tim_callback::vocab::ModerationScene::C2c)
    );
    // An unknown command in the query, none in the body.
    let mut b = bare.to_vec();
    let cb = {
        let owned = String::from("CallbackCommand=Live%2ECallbackAfterCreateRoom");
        let q = Query::parse(&owned).unwrap();
        q.parse_body(&mut b).unwrap()
    };
    assert!(matches!(cb, Callback::Unknown { command: "", body } if body == r#"{"Scene":"C2C"}"#));
}

#[test]
fn the_verifier_checks_the_app_id_and_parses_the_body() {
    let v = Verifier::new(888888);
    assert_eq!(v.app_id(), 888888);
    let body = br#"{"CallbackCommand":"Group.CallbackAfterGroupFull","GroupId":"g"}"#;
    let ok = "SdkAppid=888888&CallbackCommand=Group.CallbackAfterGroupFull";
    assert!(matches!(
        v.accept(ok, 0, &mut body.to_vec()),
        Ok(Callback::GroupAfterGroupFull(_))
    ));
    assert_eq!(
        v.accept(
            "SdkAppid=888889&CallbackCommand=Group.CallbackAfterGroupFull",
            0,
            &mut body.to_vec()
        )
        .unwrap_err(),
        Rejection::AppId { got: Some(888889) }
    );
    assert_eq!(
        v.accept(
            "CallbackCommand=Group.CallbackAfterGroupFull",
            0,
            &mut body.to_vec()
        )
        .unwrap_err(),
        Rejection::AppId { got: None }
    );
    assert!(matches!(
        v.accept("SdkAppid=888888&SdkAppid=888888", 0, &mut body.to_vec()),
        Err(Rejection::Query(QueryError::Repeated { .. }))
    ));
    let mut bad = br#"{"CallbackCommand":"Group.CallbackAfterGroupFull","GroupId":7}"#.to_vec();
    let e = v.accept(ok, 0, &mut bad);
    let Err(Rejection::Body(e)) = e else {
        panic!("{e:?}")
    };
    assert_eq!(e.key(), Some("GroupId"));
    assert_eq!(
        Rejection::AppId { got: Some(1) }.to_string(),
        "SdkAppid 1 is not this app's"
    );
}

/// Tencent's documented HTTP request: its query (placeholders and all) and its body.
#[test]
#[cfg_attr(
    not(has_shared),
    ignore = "needs ../shared (Tencent's examples, JSONTestSuite)"
)]
fn the_documented_request_is_accepted() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let text = std::fs::read_to_string(
        shared.join("corpus/tim-docs/envelope/http-request.Group.CallbackAfterNewMemberJoin.1.txt"),
    )
    .unwrap();
    let target = text.lines().next().unwrap().split(' ').nth(1).unwrap();
    let mut body = text.as_bytes()[text.find('{').unwrap()..].to_vec();
    let query = Query::from_target(target).unwrap();
    assert_eq!(query.platform(), Some(OptPlatform::Other("$OptPlatform")));
    let cb = Verifier::new(888888)
        .accept(target.split_once('?').unwrap().1, 0, &mut body)
        .unwrap();
    let Callback::GroupAfterNewMemberJoin(e) = cb else {
        panic!()
    };
    assert_eq!(e.new_member_list.len(), 2);
}

#[cfg(feature = "sign")]
mod signed {
    use tim_callback::sign::{self, SignError};

    use super::*;

    const TOKEN: &str = "xxxxyyyy";
    const SIGN: &str = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";
    const T: u64 = 1_669_872_112;

    fn query(extra: &str) -> String {
        format!(
            "SdkAppid=888888&CallbackCommand=Group.CallbackAfterGroupFull&contenttype=json{extra}"
        )
    }

    fn body() -> Vec<u8> {
        br#"{"CallbackCommand":"Group.CallbackAfterGroupFull","GroupId":"g"}"#.to_vec()
    }

    #[test]
    fn signed_callbacks_pass_and_every_bad_signature_has_its_error() {
        let v = Verifier::new(888888).token(TOKEN);
        let good = query(&format!("&Sign={SIGN}&RequestTime={T}"));
        assert!(v.accept(&good, T, &mut body()).is_ok());
        assert!(v.accept(&good, T + 60, &mut body()).is_ok());
        let upper = query(&format!("&Sign={}&RequestTime={T}", SIGN.to_uppercase()));
        assert!(v.accept(&upper, T, &mut body()).is_ok());
        // Escaped digits are decoded before checking.
        let escaped = query(&format!("&Sign=%31{}&RequestTime=%31669872112", &SIGN[1..]));
        assert!(v.accept(&escaped, T, &mut body()).is_ok());

        let sign_err = |q: &str, now: u64| match v.accept(q, now, &mut body()) {
            Err(Rejection::Sign(e)) => e,
            other => panic!("{q}: {other:?}"),
        };
        assert_eq!(
            sign_err(&query(&format!("&RequestTime={T}")), T),
            SignError::MissingSign
        );
        assert_eq!(
            sign_err(&query(&format!("&Sign={SIGN}")), T),
            SignError::MissingRequestTime
        );
        assert_eq!(
            sign_err(&query(&format!("&Sign=abc&RequestTime={T}")), T),
            SignError::MalformedSign
        );
        assert_eq!(
            sign_err(&query(&format!("&Sign={SIGN}0&RequestTime={T}")), T),
            SignError::MalformedSign
        );
        assert_eq!(
            sign_err(&query(&format!("&Sign={SIGN}&RequestTime=soon")), T),
            SignError::MalformedRequestTime
        );
        assert_eq!(
            sign_err(&good, T + 61),
            SignError::Stale {
                request_time: T,
                now: T + 61
            }
        );
        assert_eq!(
            sign_err(&good, T - 61),
            SignError::Stale {
                request_time: T,
                now: T - 61
            }
        );
        let other = query(&format!("&Sign={}&RequestTime={T}", sign::sign("other", T)));
        assert_eq!(sign_err(&other, T), SignError::Mismatch);
        // The window is the caller's.
        assert!(
            v.replay_window(3600)
                .accept(&good, T + 3600, &mut body())
                .is_ok()
        );
        assert_eq!(
            match v.replay_window(0).accept(&good, T + 1, &mut body()) {
                Err(Rejection::Sign(e)) => e,
                other => panic!("{other:?}"),
            },
            SignError::Stale {
                request_time: T,
                now: T + 1
            }
        );
        // The signature is checked before the app id: a forged request learns nothing more.
        let wrong_app = format!("SdkAppid=1&Sign=00&RequestTime={T}");
        assert_eq!(sign_err(&wrong_app, T), SignError::MalformedSign);
        let signed_wrong_app = format!("SdkAppid=1&Sign={SIGN}&RequestTime={T}");
        assert_eq!(
            v.accept(&signed_wrong_app, T, &mut body()).unwrap_err(),
            Rejection::AppId { got: Some(1) }
        );
        // Without a token, Sign is not looked at.
        assert!(
            Verifier::new(888888)
                .accept(&query("&Sign=junk"), 0, &mut body())
                .is_ok()
        );
        assert_eq!(
            Rejection::Sign(SignError::Mismatch).to_string(),
            "Sign does not match the token"
        );
    }

    #[test]
    fn signatures_are_written_as_lower_case_hex() {
        let s = sign::sign(TOKEN, T);
        assert_eq!(s.to_string(), SIGN);
        assert_eq!(&s.to_hex()[..], SIGN.as_bytes());
        assert_eq!(s.as_bytes()[0], 0x17);
        assert_eq!(format!("{s:?}"), format!("Signature({SIGN})"));
        // An empty token: the digest of "0" alone (as `printf 0 | sha256sum` prints it).
        assert_eq!(
            sign::sign("", 0).to_string(),
            "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9"
        );
    }
}

/// A sniffed known command holds no borrow of the body: a handler keeps it while it parses
/// the body (in place) and after the body is gone.
#[test]
fn a_known_command_outlives_the_body_it_was_sniffed_from() {
    let kept: Command<'static> = {
        let mut body =
            br#"{"CallbackCommand":"Group.CallbackAfterGroupFull","GroupId":"g"}"#.to_vec();
        let command = tim_callback::sniff(&body).unwrap().known().unwrap();
        let cb = tim_callback::parse(&mut body).unwrap();
        assert_eq!(cb.command(), command);
        command
    };
    assert_eq!(kept, Command::GroupAfterGroupFull);
    assert_eq!(Command::Unknown("X.Y").known(), None);
    // The query's command is 'static too when it is known, whatever the query string's life.
    let from_query: Command<'static> = {
        let owned = String::from("CallbackCommand=Group.CallbackAfterGroupFull");
        Query::parse(&owned)
            .unwrap()
            .command()
            .unwrap()
            .known()
            .unwrap()
    };
    assert_eq!(from_query, kept);
}
