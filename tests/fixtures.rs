//! The project's own fixtures (tests/fixtures): one body per command, with escapes of every kind,
//! unknown keys, shuffled keys, EventTime as number and string, and values at type edges.

mod common;

use tim_callback::{error::*, msg::*, value::*, vocab::*, *};

fn parsed(name: &str) -> (Vec<u8>, Vec<u8>) {
    let bytes = std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    (bytes.clone(), bytes)
}

/// The fixture file name of a command: its words in snake case, without `Callback`, and with
/// a first word that repeats the group said once (`State.StateChange` is `state_change`).
fn fixture_name(command: &str) -> String {
    let (group, name) = command.split_once('.').unwrap();
    let name = name.strip_prefix("Callback").unwrap_or(name);
    let name = name.strip_prefix(group).unwrap_or(name);
    let mut snake = group.to_ascii_lowercase();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            snake.push('_');
        }
        snake.push(c.to_ascii_lowercase());
    }
    snake + ".json"
}

#[test]
fn every_fixture_parses_to_the_command_its_file_name_and_body_name() {
    for (name, bytes) in common::fixtures() {
        let mut body = bytes.clone();
        let sniffed = sniff(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let cb = parse(&mut body).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(cb.command(), sniffed, "{name}");
        assert_eq!(sniffed.is_known(), name != "unknown_command.json", "{name}");
        // The file's name says which command it must produce.
        if let Some(known) = sniffed.known() {
            assert_eq!(fixture_name(known.as_str()), name, "{name} holds {known:?}");
        }
        // The same body through parse_as with the query's command gives the same event.
        let mut again = bytes.clone();
        assert_eq!(
            parse_as(sniffed.as_str(), &mut again).unwrap(),
            cb,
            "{name}"
        );
    }
}

#[cfg(feature = "serde")]
#[test]
fn every_fixture_value_survives_serialization() {
    for (name, bytes) in common::fixtures() {
        let mut body = bytes.clone();
        let cb = parse(&mut body).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let ser = serde_json::to_value(&cb).unwrap();
        common::covers_except(&json, &ser, &name, &["ExtraFromTheFuture"])
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn c2c_message_with_every_escape_and_element_kind() {
    let (_, mut body) = parsed("c2c_before_send_msg.json");
    let Callback::C2cBeforeSendMsg(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(ev.to_account, "张三");
    assert_eq!((ev.msg_seq, ev.msg_random), (u32::MAX, 3998651049));
    assert_eq!(ev.cloud_custom_data, r#"{"vip":true}"#);
    assert_eq!(
        ev.event_time,
        Some(EventTime {
            millis: 1700000002000,
            quoted: false
        })
    );
    let elems: Vec<_> = ev.msg_body.iter().collect();
    assert_eq!(elems.len(), 5);
    assert_eq!(
        elems[0],
        MsgElem::Text(TextElem {
            text: "line1\nline2 \"quoted\" \\ tab\t emoji 😀 é /"
        })
    );
    assert_eq!(
        elems[1],
        MsgElem::Custom(CustomElem {
            data: r#"{"type":"order","id":42}"#,
            desc: "order",
            ext: "",
            sound: ""
        })
    );
    assert_eq!(
        elems[2],
        MsgElem::Face(FaceElem {
            index: 7,
            data: "smile"
        })
    );
    let MsgElem::Location(loc) = &elems[3] else {
        panic!()
    };
    assert_eq!(
        (loc.desc, loc.latitude.as_str(), loc.longitude.as_str()),
        ("Shenzhen", "22.543096", "114.057865")
    );
    assert_eq!(
        (loc.latitude.to_f64(), loc.longitude.to_f64()),
        (22.543096, 114.057865)
    );
    // An element type the crate does not model is kept, content raw and untouched.
    let MsgElem::Unknown { msg_type, content } = &elems[4] else {
        panic!()
    };
    assert_eq!(*msg_type, "TIMGroupTipElem");
    assert_eq!(
        content.get(),
        r#"{"OpType":1,"Nested":{"CallbackCommand":"Group.CallbackBeforeSendMsg"}}"#
    );
    // Lists can be walked again, and indexed.
    assert_eq!(ev.msg_body.iter().count(), 5);
    assert_eq!(ev.msg_body.get(2), Some(elems[2].clone()));
    assert_eq!(ev.msg_body.get(5), None);
}

#[test]
fn c2c_after_send_with_media_elements_and_negative_unread() {
    let (_, mut body) = parsed("c2c_after_send_msg.json");
    let Callback::C2cAfterSendMsg(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!((ev.send_msg_result, ev.unread_msg_num), (80001, -1));
    assert_eq!(ev.error_info, "dirty word");
    let mut it = ev.msg_body.iter();
    let Some(MsgElem::Image(img)) = it.next() else {
        panic!()
    };
    assert_eq!(img.image_format, ImageFormat::Png);
    let infos: Vec<_> = img.image_info_array.iter().collect();
    assert_eq!(infos.len(), 3);
    assert_eq!(infos[0].image_type, ImageType::Original);
    assert_eq!(
        (infos[0].width, infos[0].height, infos[0].size),
        (2448, 3264, 1853095)
    );
    assert_eq!(infos[2].image_type, ImageType::Thumbnail);
    assert_eq!(infos[2].url, "https://example.com/i/198");
    let Some(MsgElem::Sound(s)) = it.next() else {
        panic!()
    };
    assert_eq!(
        (s.url, s.uuid, s.size, s.second, s.download_flag),
        ("https://example.com/s", "snd", 62351, 3, 2)
    );
    let Some(MsgElem::File(f)) = it.next() else {
        panic!()
    };
    assert_eq!((f.file_name, f.file_size), ("file:///tmp/a b.mov", 1773552));
    let Some(MsgElem::Video(v)) = it.next() else {
        panic!()
    };
    assert_eq!(
        (
            v.video_format,
            v.thumb_width,
            v.thumb_height,
            v.thumb_format
        ),
        ("mp4", 720, 1280, "JPG")
    );
    assert!(it.next().is_none());
}

#[test]
fn nested_relay_messages_decode_at_every_level() {
    let (_, mut body) = parsed("group_after_send_msg.json");
    let Callback::GroupAfterSendMsg(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(ev.group_type, GroupType::Live);
    assert_eq!(ev.msg_id, Some("144115233406643804-1727580296-4026038328"));
    let Some(MsgElem::Relay(outer)) = ev.msg_body.get(0) else {
        panic!()
    };
    assert_eq!(
        outer.abstract_list.iter().collect::<Vec<_>>(),
        ["A: hi", "B: 你好"]
    );
    let msgs: Vec<_> = outer.msg_list.iter().collect();
    assert_eq!(msgs[0].group_id, Some("g1"));
    assert_eq!(msgs[0].to_account, None);
    assert_eq!(msgs[1].to_account, Some("A"));
    assert_eq!(msgs[1].cloud_custom_data, Some("x"));
    let Some(MsgElem::Relay(inner)) = msgs[1].msg_body.get(0) else {
        panic!()
    };
    assert_eq!(inner.title, "inner");
    let deepest = inner.msg_list.get(0).unwrap().msg_body.get(0).unwrap();
    assert_eq!(
        deepest,
        MsgElem::Text(TextElem {
            text: "deep \"esc\""
        })
    );
}

#[test]
fn group_events_read_every_field() {
    let (_, mut body) = parsed("group_after_create_group.json");
    let Callback::GroupAfterCreateGroup(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(
        (ev.introduction, ev.notification),
        (Some("intro"), Some("note"))
    );
    let data: Vec<_> = ev.user_defined_data_list.iter().collect();
    assert_eq!(data[0].value, Value::String("gold"));
    assert_eq!(data[1].value.as_u64(), Some(42));
    assert_eq!(data[2].value.as_str(), None);

    let (_, mut body) = parsed("group_after_group_info_changed.json");
    let Callback::GroupAfterGroupInfoChanged(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(ev.name, Some("new name"));
    assert_eq!(ev.notification, Some("new \"notice\""));
    assert_eq!(ev.face_url, Some("https://example.com/face.png"));
    assert_eq!(
        ev.event_time,
        Some(EventTime {
            millis: 1700000016000,
            quoted: true
        })
    );

    let (_, mut body) = parsed("group_before_send_msg.json");
    let Callback::GroupBeforeSendMsg(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(ev.random, u32::MAX);
    assert_eq!(
        ev.topic_id,
        Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
    );

    let (_, mut body) = parsed("group_after_member_exit.json");
    let Callback::GroupAfterMemberExit(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(
        (ev.exit_type, ev.group_type),
        (ExitType::Quit, GroupType::AvChatRoom)
    );

    let (_, mut body) = parsed("group_after_new_member_join.json");
    let Callback::GroupAfterNewMemberJoin(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(ev.join_type, JoinType::Invited);
    assert_eq!(ev.new_member_list.len(), 2);
}

#[test]
fn relationship_events_read_every_field() {
    let (_, mut body) = parsed("sns_prev_friend_add.json");
    let Callback::SnsPrevFriendAdd(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    let items: Vec<_> = ev.friend_item.iter().collect();
    assert_eq!(items[0].remark, "Bob \"the builder\"");
    assert_eq!(items[0].add_wording, "hi\nbob");
    assert_eq!(items[1].add_wording, "你好");
    assert_eq!((ev.add_type, ev.force_add_flags), (AddType::Single, 1));

    let (_, mut body) = parsed("sns_prev_friend_response.json");
    let Callback::SnsPrevFriendResponse(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    let actions: Vec<_> = ev
        .response_friend_item
        .iter()
        .map(|i| i.response_action)
        .collect();
    assert_eq!(actions, [ResponseAction::Agree, ResponseAction::Reject]);

    let (_, mut body) = parsed("sns_friend_add.json");
    let Callback::SnsFriendAdd(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(ev.client_cmd, ClientCmd::FriendResponse);
    assert_eq!(ev.pair_list.get(1).unwrap().initiator_account, "a");

    let (_, mut body) = parsed("sns_black_list_add.json");
    let Callback::SnsBlackListAdd(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(ev.pair_list.get(0).unwrap().to_account, "spam/bot");

    let (_, mut body) = parsed("sns_black_list_delete.json");
    let Callback::SnsBlackListDelete(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert!(ev.pair_list.is_empty());

    let (_, mut body) = parsed("state_change.json");
    let Callback::StateChange(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(ev.info.to_account, "useré_1");
    let p: Vec<_> = ev.kicked_device.iter().map(|d| d.platform).collect();
    assert_eq!(
        p,
        [Platform::Ios, Platform::Linux, Platform::Other("HarmonyOS")]
    );
}

#[test]
fn unknown_commands_keep_command_and_body() {
    let (orig, mut body) = parsed("unknown_command.json");
    let cb = parse(&mut body).unwrap();
    assert_eq!(
        cb,
        Callback::Unknown {
            command: "Live.CallbackAfterCreateRoom",
            body: std::str::from_utf8(&orig).unwrap()
        }
    );
}

/// The fixtures of every command (tests/fixtures/commands/<Command>.<case>.json): each parses
/// as the command its file name gives (also through `parse` when the body names it), and every
/// value it holds survives serialization; every known command has fixtures.
#[test]
fn every_command_has_fixtures_that_parse_as_the_file_name_says() {
    let mut covered: std::collections::BTreeSet<String> = common::fixtures()
        .iter()
        .filter_map(|(_, b)| sniff(b).ok().filter(Command::is_known))
        .map(|c| c.as_str().to_string())
        .collect();
    let fixtures = common::command_fixtures();
    assert!(fixtures.len() >= 70, "{} command fixtures", fixtures.len());
    // Under Miri (about 1000x slower), the documented case of each command only.
    let sampled = fixtures
        .iter()
        .filter(|(name, _, _)| !cfg!(miri) || name.ends_with(".documented.json"));
    for (name, command, bytes) in sampled {
        let expected = Command::from_name(command);
        assert!(
            expected.is_known(),
            "{name}: {command} is not a known command"
        );
        let mut body = bytes.clone();
        let cb = parse_as(command, &mut body).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(cb.command(), expected, "{name}");
        if let Ok(own) = sniff(bytes) {
            assert_eq!(own, expected, "{name}: the body names another command");
            let mut again = bytes.clone();
            assert_eq!(parse(&mut again).unwrap(), cb, "{name}");
        }
        #[cfg(feature = "serde")]
        {
            let json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            let ser = serde_json::to_value(&cb).unwrap();
            common::covers_except(
                &json,
                &ser,
                name,
                &["ExtraFromTheFuture", "CallbackCommand"],
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        covered.insert(command.clone());
    }
    let missing: Vec<_> = Command::KNOWN
        .iter()
        .filter(|c| !covered.contains(c.as_str()))
        .collect();
    assert!(missing.is_empty(), "commands without fixtures: {missing:?}");
}

/// Where Tencent's sources spell a key two ways, both read as one field; a body with both is a
/// duplicate key, reported at the second.
#[test]
fn both_spellings_of_a_key_read_as_one_field_and_both_together_are_a_duplicate() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "Group.CallbackBeforeCreateGroup",
            "CreateGroupNum",
            "CreatedGroupNum",
            "5",
        ),
        (
            "Group.CallbackAfterCreateGroup",
            "CreateGroupNum",
            "CreatedGroupNum",
            "5",
        ),
        (
            "Group.CallbackAfterMemberFieldChanged",
            "Member_Account",
            "Modified_Account",
            "\"m\"",
        ),
        (
            "Bot.OnGroupMessage",
            "AtRobots_Account",
            "AtRobotAccount",
            "[\"@RBT#1\"]",
        ),
    ];
    for &(command, key, alias, value) in cases {
        let one = |k: &str| format!(r#"{{"CallbackCommand":"{command}","{k}":{value}}}"#);
        let (mut x, mut y) = (one(key).into_bytes(), one(alias).into_bytes());
        let a = parse_as(command, &mut x).unwrap();
        let b = parse_as(command, &mut y).unwrap();
        assert_eq!(a, b, "{command}: {alias} reads as {key}");
        for (first, second) in [(key, alias), (alias, key)] {
            let both = format!(
                r#"{{"CallbackCommand":"{command}","{first}":{value},"{second}":{value}}}"#
            );
            let e = parse_as(command, &mut both.clone().into_bytes()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::DuplicateKey, "{both}");
            assert_eq!(e.key(), Some(second), "{both}");
            assert_eq!(
                e.offset(),
                both.rfind(&format!("\"{second}\"")).unwrap(),
                "{both}"
            );
        }
    }
    // Inside a record: ContactItem's ContactType / Type.
    let body = |item: &str| format!(r#"{{"Scene":"Group","ContactItem":{item}}}"#);
    let mut x = body(r#"{"ContactType":2}"#).into_bytes();
    let mut y = body(r#"{"Type":2}"#).into_bytes();
    let a = parse_as("ContentCallback.ResultNotify", &mut x).unwrap();
    let b = parse_as("ContentCallback.ResultNotify", &mut y).unwrap();
    assert_eq!(a, b);
    let Callback::ContentResultNotify(n) = a else {
        panic!()
    };
    assert_eq!(n.contact_item.contact_type, ContactType::Group);
    let e = parse_as(
        "ContentCallback.ResultNotify",
        &mut body(r#"{"Type":2,"ContactType":2}"#).into_bytes(),
    )
    .unwrap_err();
    assert_eq!(
        (e.kind(), e.key()),
        (ErrorKind::DuplicateKey, Some("ContactType"))
    );
}

fn command_fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/commands/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The commands beyond the Go SDK read their quirks naturally: numbers or strings by tag,
/// arrays where a string is usual, push batches, lower-case keys, aliases.
#[test]
fn the_newer_families_read_every_quirk() {
    let mut b = command_fixture("Profile.CallbackPortraitSet.documented.json");
    let Ok(Callback::ProfilePortraitSet(p)) = parse(&mut b) else {
        panic!()
    };
    let items: Vec<_> = p.profile_item.iter().collect();
    assert_eq!(items[0].value.as_str(), Some("nick1 小明"));
    assert_eq!(items[1].value.as_u64(), Some(12));
    assert_eq!(items[1].value.as_str(), None);
    assert_eq!(items[2].value.as_str(), Some("{\"k\":1}"));

    let mut b = command_fixture("Follow.CallbackAfterFollowDelete.escaped.json");
    let Ok(Callback::FollowAfterFollowDelete(f)) = parse(&mut b) else {
        panic!()
    };
    assert_eq!(
        f.to_account.iter().collect::<Vec<_>>(),
        ["UserID_002", "UserID_003"]
    );
    assert_eq!(
        f.event_time.map(|t| (t.millis, t.quoted)),
        Some((1_702_018_343_678, true))
    );

    let mut b = command_fixture("Push.OfflinePush.escaped.json");
    let Ok(Callback::PushOfflinePush(push)) = parse_as("Push.OfflinePush", &mut b) else {
        panic!()
    };
    let events: Vec<_> = push.events.iter().collect();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].event_type, OfflinePushKind::C2c);
    assert_eq!(events[0].event_time, 1_557_481_128, "seconds");
    assert_eq!(events[0].group_id, None);
    assert_eq!(events[1].group_id, Some("@TGS#2J4SZEAEL"));
    assert_eq!(events[1].msg_random, u32::MAX);
    assert_eq!(events[1].err_code, 10001);

    let mut b = command_fixture("Push.AllMemberPush.documented.json");
    let Ok(Callback::PushAllMemberPush(push)) = parse_as("Push.AllMemberPush", &mut b) else {
        panic!()
    };
    let kinds: Vec<_> = push.events.iter().map(|e| e.event_type).collect();
    assert_eq!(
        kinds,
        [AllMemberPushKind::Offline, AllMemberPushKind::Online]
    );
    // An event of another command inside the batch is refused.
    let mut wrong =
        br#"{"Events":[{"CallbackCommand":"Push.OfflinePush","EventType":1}]}"#.to_vec();
    let e = parse_as("Push.AllMemberPush", &mut wrong).unwrap_err();
    assert_eq!(
        (e.kind(), e.key(), e.index()),
        (ErrorKind::CommandMismatch, Some("CallbackCommand"), Some(0))
    );

    let mut b = command_fixture("Group.CallbackAfterGroupAttrChanged.escaped.json");
    let Ok(Callback::GroupAfterGroupAttrChanged(a)) = parse(&mut b) else {
        panic!()
    };
    assert_eq!(a.option_type, AttrOption::Set);
    let attrs: Vec<_> = a.group_attr.iter().map(|g| (g.key, g.value)).collect();
    assert_eq!(attrs, [("key1", "value1"), ("key2", "values")]);

    let mut b = command_fixture("Bot.OnGroupMessage.alias.json");
    let Ok(Callback::BotOnGroupMessage(m)) = parse(&mut b) else {
        panic!()
    };
    assert_eq!(
        m.at_robots_account.iter().collect::<Vec<_>>(),
        ["@RBT#001", "@RBT#002"]
    );

    let mut b = command_fixture("Group.CallbackAfterMemberFieldChanged.sparse.json");
    let Ok(Callback::GroupAfterMemberFieldChanged(m)) = parse(&mut b) else {
        panic!()
    };
    assert_eq!(
        (m.member_account, m.role, m.name_card),
        ("123456", None, Some("jacky"))
    );

    let mut b = command_fixture("Group.CallbackAfterReadReceipt.documented.json");
    let Ok(Callback::GroupAfterReadReceipt(r)) = parse(&mut b) else {
        panic!()
    };
    let second = r.group_msg_receipt_list.get(1).unwrap();
    assert_eq!(
        (second.msg_seq, second.read_num, second.unread_num),
        (2, 1, 6)
    );
    assert_eq!(
        second.read_receipt_members.get(0).unwrap().member_account,
        "user0"
    );

    let mut b = command_fixture("C2C.CallbackAfterC2CMsgExtension.escaped.json");
    let Ok(Callback::C2cAfterC2cMsgExtension(x)) = parse(&mut b) else {
        panic!()
    };
    assert_eq!(x.operate_type, ExtensionOperation::Set);
    let keys: Vec<_> = x
        .extension_list
        .iter()
        .map(|e| (e.key, e.value, e.seq))
        .collect();
    assert_eq!(keys, [("key2", "value2", 56), ("键3", "", 57)]);

    let mut b = command_fixture("Group.CallbackSendMsgException.documented.json");
    let Ok(Callback::GroupSendMsgException(x)) = parse(&mut b) else {
        panic!()
    };
    assert_eq!(
        (x.error_code, x.error_info),
        (10023, "msg count exceeds limit,please retry later")
    );
    assert_eq!(
        x.answer().to_string(),
        r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#
    );
    assert!(x.answer().fail("").is_err(), "the answer is fixed");

    let mut b = command_fixture("Group.CallbackOnDailyGroupQuotaAlarm.documented.json");
    let Ok(Callback::GroupOnDailyGroupQuotaAlarm(q)) = parse(&mut b) else {
        panic!()
    };
    assert_eq!((q.quota_used, q.quota), (7321, 10000));

    let mut b = command_fixture("Chatbot.OnC2CSignalMessage.sparse.json");
    let Ok(Callback::ChatbotOnC2cSignalMessage(c)) = parse(&mut b) else {
        panic!()
    };
    assert_eq!((c.msg_seq, c.data), (None, None));
}

/// Ids are strings: a number where Tencent sends a string is refused at its key.
#[test]
fn a_number_for_a_string_id_is_refused_at_its_key() {
    for (command, key) in [
        ("Group.CallbackAfterCreateTopic", "TopicId"),
        ("OfficialAccount.CallbackAfterSendMsg", "Official_Account"),
        ("Follow.CallbackAfterFollowDelete", "To_Account"),
        ("Group.CallbackAfterRecallMsg", "GroupId"),
    ] {
        let body = format!(r#"{{"CallbackCommand":"{command}","{key}":1234}}"#);
        let e = parse(&mut body.clone().into_bytes()).unwrap_err();
        assert_eq!(e.key(), Some(key), "{body}");
        assert_eq!(e.offset(), body.find("1234").unwrap(), "{body}");
    }
}

#[cfg(feature = "serde")]
#[test]
fn event_time_is_written_back_as_the_json_type_it_came_as() {
    // A number stays a number, a numeric string a string, and a string's
    // leading zeros are not kept.
    for (sent, written) in [
        ("7", "7"),
        ("\"1700000000000\"", "\"1700000000000\""),
        ("\"007\"", "\"7\""),
    ] {
        let mut body = format!(
            r#"{{"CallbackCommand":"State.StateChange","EventTime":{sent},"Info":{{"Action":"Login","To_Account":"u"}}}}"#
        )
        .into_bytes();
        let cb = tim_callback::parse(&mut body).unwrap();
        let json = serde_json::to_string(&cb).unwrap();
        assert!(
            json.contains(&format!(r#""EventTime":{written},"#)),
            "{sent}: {json}"
        );
    }
}
