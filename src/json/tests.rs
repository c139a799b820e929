//! Unit tests of the JSON reader, against naive oracles.

use super::*;
extern crate std;

#[test]
fn unescape_decodes_every_escape_kind() {
    // Decoding from the start, or resuming after the plain "a".
    for plain in [0, 1] {
        let mut s = *br#"a\"b\\c\/d\be\ff\ng\rh\ti\u00e9\u4e2d\ud83d\ude00""#;
        assert_eq!(scan_string(&s, 0), Ok((s.len(), true)));
        let (end, n, escaped) = decode_string_in_place(&mut s, 0, plain, false).unwrap();
        assert_eq!((end, escaped), (s.len(), true));
        assert_eq!(
            core::str::from_utf8(&s[..n]).unwrap(),
            "a\"b\\c/d\u{8}e\u{c}f\ng\rh\ti\u{e9}\u{4e2d}\u{1f600}"
        );
    }
}

#[test]
fn common_escapes_agree_with_the_full_reader() {
    // Every byte after the backslash; then every code point as `\uXXXX`, in lower and upper
    // case hex (a slice of them under Miri), with a bad digit at each position.
    for c in 0..=255u8 {
        let s = [b'\\', c, b'0', b'0', b'4', b'1', b'"'];
        match common_escape(&s, 0) {
            Some(got) => assert_eq!(Ok(got), escape_full(&s, 0), "{c:02x}"),
            None => assert!(c == b'u' || escape_full(&s, 0).is_err(), "{c:02x}"),
        }
    }
    let step = if cfg!(miri) { 257 } else { 1 };
    for cp in (0..=0xFFFFu32).step_by(step) {
        for hex in [std::format!("\\u{cp:04x}"), std::format!("\\u{cp:04X}")] {
            let s = hex.as_bytes();
            let want = escape_full(s, 0).unwrap_or((0, u32::MAX));
            match common_escape(s, 0) {
                Some(got) => assert_eq!(got, want, "{hex}"),
                None => assert!((0xD800..=0xDFFF).contains(&cp), "{hex}"),
            }
            let mut bad = hex.clone().into_bytes();
            for k in 2..6 {
                let keep = bad[k];
                bad[k] = b'g';
                assert_eq!(common_escape(&bad, 0), None, "{hex} {k}");
                bad[k] = keep;
            }
            // Cut short: nothing read past the end.
            assert_eq!(common_escape(&s[..5], 0), None, "{hex}");
        }
        if let Some(ch) = char::from_u32(cp) {
            let mut want = [0u8; 4];
            let want = ch.encode_utf8(&mut want).as_bytes();
            let mut got = [0u8; 6];
            let n = put_bmp(&mut got, 1, cp);
            assert_eq!(&got[1..1 + n], want, "{cp:x}");
        }
    }
}

#[test]
fn lone_surrogates_are_rejected() {
    for s in [
        &br#"\ud800""#[..],
        br#"\udc00""#,
        br#"\ud800\u0041""#,
        br#"\ud800x""#,
    ] {
        assert_eq!(
            scan_string(s, 0).unwrap_err().kind(),
            ErrorKind::LoneSurrogate
        );
    }
}

#[test]
fn skip_value_rejects_deep_nesting_without_recursion() {
    let deep = [b'['; 100_000];
    assert_eq!(
        skip_value(&deep, 0, 0, false).unwrap_err().kind(),
        ErrorKind::TooDeep
    );
    let mut ok = [0u8; 2 * MAX_DEPTH as usize];
    ok[..MAX_DEPTH as usize].fill(b'[');
    ok[MAX_DEPTH as usize..].fill(b']');
    assert_eq!(skip_value(&ok, 0, 0, false), Ok(ok.len()));
}

#[test]
fn numbers_follow_the_grammar() {
    for good in ["0", "-0", "12", "1.5", "1e5", "-1.25E-3", "0.0"] {
        let t = scan_number(good.as_bytes(), 0).unwrap();
        assert_eq!(t.end, good.len(), "{good}");
    }
    for bad in ["-", "1.", ".5", "1e", "1e+", "-a", "+1"] {
        assert!(
            scan_number(bad.as_bytes(), 0).is_err()
                || scan_number(bad.as_bytes(), 0).unwrap().end != bad.len(),
            "{bad}"
        );
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "safe word-at-a-time scanner against its oracle: minutes under Miri, nothing unsafe"
)]
fn find_byte_agrees_with_position() {
    for len in 0..30 {
        for at in 0..=len {
            let mut b = [0x20u8; 30];
            if at < len {
                b[at] = 0xF9;
            }
            let want = b[..len].iter().position(|&c| c == 0xF9).unwrap_or(len);
            assert_eq!(find_byte(&b[..len], 0, 0xF9), want);
        }
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "safe word-at-a-time scanner against its oracle: minutes under Miri, nothing unsafe"
)]
fn same_bytes_agrees_with_slice_equality() {
    // Every length up to 40, equal and differing at each position.
    let a: [u8; 40] = core::array::from_fn(|i| b'a' + (i % 26) as u8);
    for n in 0..=40 {
        assert!(same_bytes(&a[..n], &a[..n]));
        for at in 0..n {
            let mut b = a;
            b[at] ^= 0x20;
            assert!(!same_bytes(&a[..n], &b[..n]), "{n} {at}");
        }
        if n > 0 {
            assert!(!same_bytes(&a[..n], &a[..n - 1]));
        }
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "safe word-at-a-time scanner against its oracle: minutes under Miri, nothing unsafe"
)]
fn next_special_finds_the_first_special_byte_and_non_ascii_before_it() {
    // Against a byte-by-byte oracle, for every position of each kind of special byte.
    for special in [b'"', b'\\', 0x00, 0x1f] {
        for len in 0..40 {
            for at in 0..=len {
                let mut b = [b'x'; 40];
                let mut with_high = b;
                if at < len {
                    b[at] = special;
                    with_high[at] = special;
                }
                if at > 0 {
                    with_high[at - 1] = 0xC3;
                }
                let want = b[..len]
                    .iter()
                    .position(|&c| STRING_SPECIAL[c as usize])
                    .unwrap_or(len);
                assert_eq!(
                    next_special(&b[..len], 0),
                    (want, false),
                    "{special} {len} {at}"
                );
                assert_eq!(
                    next_special(&with_high[..len], 0),
                    (want, at > 0),
                    "{special} {len} {at}"
                );
                // Non-ASCII after the special byte does not count.
                let mut after = b;
                if at + 1 < len {
                    after[at + 1] = 0xC3;
                    assert_eq!(
                        next_special(&after[..len], 0),
                        (want, at >= len),
                        "{len} {at}"
                    );
                }
            }
        }
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "safe word-at-a-time scanner against its oracle: minutes under Miri, nothing unsafe"
)]
fn digits_agree_with_a_byte_loop() {
    // Every run length up to 25 (chunks, tails, overflow past 20 digits), every stop byte
    // class (including bytes just outside '0'..='9' and ones whose carry could spill), at
    // every alignment against the end of the slice.
    fn oracle(b: &[u8], i: usize) -> (usize, u64, bool) {
        let end = b[i..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .map_or(b.len(), |n| i + n);
        let s = core::str::from_utf8(&b[i..end]).unwrap();
        match s.parse::<u64>() {
            Ok(v) => (end, v, false),
            Err(_) if s.is_empty() => (end, 0, false),
            Err(_) => (end, 0, true),
        }
    }
    let pattern = b"9876543210123456789018446744073709551615";
    for len in 0..=25 {
        for stop in [
            None,
            Some(b'/'),
            Some(b':'),
            Some(b'.'),
            Some(0xFF),
            Some(0x89),
            Some(b' '),
        ] {
            for tail in 0..10 {
                for offset in [0usize, 20] {
                    let mut b = std::vec![b'x'; 1];
                    b.extend_from_slice(&pattern[offset..offset + len.min(20)]);
                    b.extend(core::iter::repeat_n(b'7', len.saturating_sub(20)));
                    if let Some(c) = stop {
                        b.push(c);
                    }
                    b.extend(core::iter::repeat_n(b'5', tail));
                    let got = digits(&b, 1);
                    let want = oracle(&b, 1);
                    assert_eq!(got.0, want.0, "{b:?}");
                    assert_eq!(got.2, want.2, "{b:?}");
                    if !want.2 {
                        assert_eq!(got.1, want.1, "{b:?}");
                    }
                }
            }
        }
    }
    // u64::MAX exactly, and one past it.
    assert_eq!(digits(b"18446744073709551615,", 0), (20, u64::MAX, false));
    assert!(digits(b"18446744073709551616,", 0).2);
}

#[test]
#[cfg_attr(
    miri,
    ignore = "safe word-at-a-time scanner against its oracle: minutes under Miri, nothing unsafe"
)]
fn both_ends_finds_what_the_forward_walk_finds() {
    use std::format;
    use std::string::String;
    use std::vec::Vec;
    // Values that a backward walk must get right: escaped quotes and trailing backslashes,
    // brackets and decoy keys inside strings and nested objects, numbers and literals,
    // empty containers.
    let values = [
        r#""plain""#,
        r#""q\"uote\"""#,
        r#""ends in a backslash\\""#,
        r#""\\\"\\""#,
        r#""} ] { [ , : \"CallbackCommand\":\"X\"""#,
        r#"{"CallbackCommand":"Nested.One","a":[1,{"b":"}"}]}"#,
        r#"[{"CallbackCommand":"In.List"},"]",[[]],{}]"#,
        "-12.5e+3",
        "0",
        "true",
        "null",
        "{}",
        "[]",
        r#""中文\u4e2d""#,
    ];
    let spaces = ["", " ", "\n  ", "\t\r\n "];
    // The command's value: plain (checked without a scan of its own), or escaped, or with
    // quotes and backslashes in it (checked by `found_str`).
    let commands = [r#""C2C.X""#, r#""C2\u0043.X""#, r#""a\"b\\""#, r#""""#];
    let spellings = ["CallbackCommand", r"Callback\u0043ommand"];
    // Other keys (each followed by its index): near misses of the key's length and text, and
    // escaped ones that decode to something else.
    let decoys = [
        "k",
        "CallbackComman",
        r"Callback\u0043omman",
        r"Callback\\ommand",
    ];
    // Every combination natively; a slice of them under Miri, which is slow at this.
    let (members, kinds, spacings) = if cfg!(miri) {
        (4, 5, 2)
    } else {
        (6, values.len(), 4)
    };
    let mut checked = 0;
    let mut near = 0;
    for n in 0..members {
        for at in 0..=n {
            for vi in 0..kinds {
                for ws in &spaces[..spacings] {
                    // `n` members; the command at `at` (== n: absent).
                    let mut members: Vec<String> = (0..n)
                        .map(|k| {
                            let v = values[(vi + k * 5) % values.len()];
                            let name = decoys[(vi + k) % decoys.len()];
                            format!("{ws}\"{name}{k}\"{ws}:{ws}{v}{ws}")
                        })
                        .collect();
                    // The key as sent, or escaped (a walk must decode it to match it).
                    let spelling = spellings[(vi + at) % spellings.len()];
                    if at < n {
                        let command = commands[(vi + n) % commands.len()];
                        members[at] = format!("{ws}\"{spelling}\"{ws}:{ws}{command}{ws}");
                    }
                    let body = format!("{ws}{{{}}}{ws}", members.join(","));
                    let b = body.as_bytes();
                    assert!(
                        serde_json::from_str::<serde_json::Value>(&body).is_ok(),
                        "{body}"
                    );
                    let forward = find_key_unchecked(b, "CallbackCommand");
                    let both = find_key_both_ends_unchecked(b, "CallbackCommand");
                    assert_eq!(forward.is_some(), at < n, "{body}");
                    match (forward, both) {
                        (Some(f), Some((g, _))) => {
                            assert_eq!(
                                (f.start, f.end, f.escaped),
                                (g.start, g.end, g.escaped),
                                "{body}"
                            )
                        }
                        (None, None) => {}
                        (f, g) => panic!("{body}: forward {f:?}, both ends {g:?}"),
                    }
                    if let Some((_, FoundFrom::Back(key))) = both {
                        let quoted = format!("\"{spelling}\"");
                        assert_eq!(&b[key..key + quoted.len()], quoted.as_bytes(), "{body}");
                    }
                    // The search near the ends, where it finds the member, finds this one.
                    if let Some((g, FoundFrom::Back(key))) =
                        find_key_near_ends(b, "CallbackCommand")
                    {
                        let f = forward.unwrap_or_else(|| panic!("{body}: found near the ends"));
                        assert_eq!((f.start, f.end, f.escaped), (g.start, g.end, g.escaped));
                        assert_eq!(&b[key..key + 17], b"\"CallbackCommand\"", "{body}");
                        near += 1;
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= if cfg!(miri) { 100 } else { 1000 });
    // Where there is a SIMD search, it finds a good share of the members itself.
    if cfg!(all(target_arch = "x86_64", target_feature = "sse2")) {
        assert!(near * 10 >= checked, "{near} of {checked}");
    }
    // Not objects, or cut short: nothing, and no panic.
    for body in [
        "", "[]", "{", "}", "{\"a\":1", "\"x\"", "{\"a\":}", "{,}", "{\"\\\"}",
    ] {
        assert!(
            find_key_both_ends_unchecked(body.as_bytes(), "CallbackCommand").is_none(),
            "{body}"
        );
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "safe word-at-a-time scanner against its oracle: minutes under Miri, nothing unsafe"
)]
fn quote_before_finds_the_last_quote() {
    for len in 0..40 {
        for at in 0..=len {
            let mut b = [b'x'; 41];
            if at < len {
                b[at] = b'"';
            }
            // A decoy just after the range must not count.
            b[len] = b'"';
            let want = b[..len].iter().rposition(|&c| c == b'"');
            assert_eq!(quote_before(&b, len), want, "{len} {at}");
        }
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "safe word-at-a-time scanner against its oracle: minutes under Miri, nothing unsafe"
)]
fn skip_ws_agrees_with_position() {
    // Every run length (short, eight-byte blocks, tails) of every whitespace character
    // mix, stopped by each kind of byte, including ones a carry could confuse.
    let ws = [b' ', b'\n', b'\r', b'\t'];
    for len in 0..40 {
        for stop in [
            None,
            Some(b'x'),
            Some(0x00),
            Some(0x1F),
            Some(0x21),
            Some(0x8A),
            Some(0xA0),
        ] {
            // Mixes of all four (seeds 0–3); an indent, spaces only (4); spaces with one
            // other whitespace byte in the middle (5–7).
            for seed in 0..8 {
                let mut buf = [b'y'; 48];
                for (k, c) in buf[..len].iter_mut().enumerate() {
                    *c = match seed {
                        0..4 => ws[(k * 7 + seed) % 4],
                        _ if k == len / 2 && seed > 4 => ws[seed - 4],
                        _ => b' ',
                    };
                }
                let mut n = len;
                if let Some(c) = stop {
                    buf[n] = c;
                    n += 1;
                }
                buf[n..n + 2].copy_from_slice(b"  ");
                let b = &buf[..n + 3];
                for from in 0..=len.min(3) {
                    let want = b[from..]
                        .iter()
                        .position(|c| !ws.contains(c))
                        .map_or(b.len(), |p| from + p);
                    assert_eq!(skip_ws(b, from), want, "{len} {stop:?} {seed} {from}");
                }
            }
        }
    }
    assert_eq!(skip_ws(b"", 0), 0);
    assert_eq!(skip_ws(b"   ", 1), 3);
}

#[test]
#[cfg_attr(
    miri,
    ignore = "safe word-at-a-time scanner against its oracle: minutes under Miri, nothing unsafe"
)]
fn unchecked_skip_agrees_with_the_validating_skip() {
    // Brackets and braces inside strings, escapes, nesting, and what follows the value.
    let values: [&[u8]; 8] = [
        br#"{"Yy_":"}]{[","a":[1,{"b":"\"}"}],"c":{}}"#,
        br#"[[[["yYy_\u005d"]]],{"_":true},null,-1.5e3]"#,
        br#"{"MsgType":"TIMTextElem","MsgContent":{"Text":"a]}\"b"}}"#,
        br#"[]"#,
        br#"{}"#,
        br#"[{"Type":1,"URL":"https://example.com/y_Y?x=[1]"},{"Type":2}]"#,
        br#""just a string with ] and }""#,
        br#"{"k":[{"k":[{"k":[{"k":"yyyyyyyyyyyyyyyyyyyy"}]}]}]}"#,
    ];
    for v in values {
        for pad in 0..9 {
            let mut buf = [b' '; 128];
            buf[..v.len()].copy_from_slice(v);
            buf[v.len() + pad] = b',';
            let b = &buf[..v.len() + pad + 1];
            let checked = skip_value(b, 0, 0, false).unwrap();
            assert_eq!(skip_value_unchecked(b, 0), Some(checked), "{pad}");
        }
    }
}

#[test]
fn scalar_end_stops_where_a_byte_loop_stops() {
    // Every stop byte (and a high byte, which never stops it) at every position around the
    // eight-byte word, after a run of number and literal bytes.
    let naive = |b: &[u8], i: usize| {
        (i..b.len())
            .find(|&k| b[k] <= b' ' || matches!(b[k], b',' | b']' | b'}'))
            .unwrap_or(b.len())
    };
    let fill = b"-0123456789.eE+truefalsenull";
    for stop in [
        b',', b']', b'}', b' ', b'\n', b'\r', b'\t', 0x00, 0x20, 0xFF,
    ] {
        for len in 0..24 {
            for at in 0..=len {
                let mut b: std::vec::Vec<u8> = (0..len).map(|k| fill[k % fill.len()]).collect();
                if at < len {
                    b[at] = stop;
                }
                for from in 0..=len.min(3) {
                    assert_eq!(
                        scalar_end(&b, from),
                        naive(&b, from),
                        "{stop} {len} {at} {from}"
                    );
                }
            }
        }
    }
    // `{` and `[` are not `}` and `]`, though each pair differs in one bit.
    assert_eq!(scalar_end(b"12{[3", 0), 5);
}

#[test]
fn unescaped_eq_compares_decoded_text() {
    let eq = |raw: &str, target: &str| unescaped_eq(raw.as_bytes(), target);
    assert!(eq(r"Call\u0062ackCommand", "CallbackCommand"));
    assert!(eq(r"\u0043\u0061llbackComman\u0064", "CallbackCommand"));
    assert!(!eq(r"Call\u0062ack", "CallbackCommand"));
    assert!(!eq(r"Call\u0062ackCommandX", "CallbackCommand"));
    assert!(eq(r"caf\u00e9 \ud83d\ude00\n", "café 😀\n"));
    // Unvalidated content (the unchecked walks pass keys they did not validate): a malformed
    // escape or bytes that are not UTF-8 never match.
    assert!(!unescaped_eq(br"CallbackComman\x", "CallbackComman"));
    assert!(!unescaped_eq(
        b"Callback\\Command\\u12",
        "Callback\\Command"
    ));
    assert!(!unescaped_eq(b"\xFFallbackCommand\\n", "CallbackCommand"));
    // Longer than the stack buffer: decoded piece by piece.
    let long = std::string::String::from("k").repeat(70);
    assert!(eq(&std::format!(r"\u006b{}", &long[1..]), &long));
    assert!(!eq(&std::format!(r"\u006c{}", &long[1..]), &long));
}

#[test]
fn unescape_into_agrees_with_the_piecewise_decoder() {
    // Every kind of escape among plain runs of several lengths, into a buffer of every size
    // around the decoded length: the text when it fits, `None` when it does not.
    let pieces = [
        "ab",
        r"\n",
        r"\u0041",
        r"\u00e9",
        "中",
        r"\u4e2d",
        r"\ud83d\ude00",
        r#"\""#,
        "xyzxyzxyz",
    ];
    for a in pieces {
        for b in pieces {
            for c in pieces {
                let raw = std::format!("{a}{b}{c}");
                let mut want = std::string::String::new();
                for_each_unescaped(&raw, |p| {
                    want.push_str(p);
                    Ok::<(), ()>(())
                })
                .unwrap();
                for size in want.len().saturating_sub(2)..want.len() + 2 {
                    let mut buf = std::vec![0u8; size];
                    let got = unescape_into(raw.as_bytes(), &mut buf);
                    if size >= want.len() {
                        assert_eq!(got, Some(want.as_bytes()), "{raw} into {size}");
                    } else {
                        assert_eq!(got, None, "{raw} into {size}");
                    }
                }
            }
        }
    }
}

#[test]
fn decode_in_place_agrees_with_scan_and_serde_json() {
    // Strings built from plain runs of every length around the eight-byte chunk, multi-byte
    // characters, escapes of each kind, and (rarely) a hostile byte; each decoded from the
    // start and resumed after its scanned plain prefix (which the decoder then checks for
    // UTF-8). The decoder must give the scanner's verdict (the same error at the same offset),
    // serde_json's text, and leave every byte after the closing quote as it was.
    const PIECES: &[&[u8]] = &[
        b"\\\"",
        b"\\\\",
        b"\\n",
        b"\\/",
        b"\\t",
        b"\\u00e9",
        b"\\u4e2d",
        b"\\ud83d\\ude00",
        b"\\u0041",
        "é".as_bytes(),
        "中文".as_bytes(),
        "😀".as_bytes(),
        // With `\"` and empty runs: JSON held in a string (`\":\"`, `\",\"`).
        b":",
        b",",
    ];
    const HOSTILE: &[&[u8]] = &[
        b"\xFF",
        b"\xE4\xB8",
        b"\x01",
        b"\\ud800x",
        b"\\x",
        b"\\u12",
        b"\xC0\x80",
    ];
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15u64);
    let cases = if cfg!(miri) { 150 } else { 20_000 };
    for case in 0..cases {
        let mut buf = std::vec![b'"'];
        // Half the strings of up to 40 pieces, well past 64 bytes: many eight-byte words moved
        // behind several escapes.
        for _ in 0..next(if case % 2 == 0 { 8 } else { 40 }) {
            let run = next(20) as usize;
            buf.extend((0..run).map(|k| b'a' + (k % 26) as u8));
            match next(40) {
                0 => buf.extend_from_slice(HOSTILE[next(HOSTILE.len() as u64) as usize]),
                _ => buf.extend_from_slice(PIECES[next(PIECES.len() as u64) as usize]),
            }
        }
        buf.extend((0..next(12)).map(|k| b'A' + k as u8));
        let closed = next(30) != 0;
        if closed {
            buf.extend_from_slice(b"\",\"after\":\"x\\ny\"}");
            // Sometimes a long tail, so that "the bytes after the string are left as they were"
            // is checked over more than the decoder's last word.
            if case % 3 == 0 {
                buf.extend((0..next(90)).map(|k| b'0' + (k % 10) as u8));
            }
        }
        decoders_agree_with_scan_and_serde_json(&buf, case);
    }
}

/// Decodes the string that opens at `buf[0]` with both decoders (with and without the
/// sixteen-byte blocks of `dense`), from its start and resumed after its scanned plain prefix,
/// and checks each against the scanner's verdict (the same error at the same offset),
/// serde_json's text, and the bytes after the closing quote left as they were.
fn decoders_agree_with_scan_and_serde_json(buf: &[u8], case: usize) {
    let scanned = scan_string(buf, 1);
    let from_serde = serde_json::from_slice::<std::string::String>(
        &buf[..scanned.map_or(buf.len(), |(end, _)| end)],
    );
    let (first, non_ascii) = next_special(buf, 1);
    type Decoder = fn(&mut [u8], usize, usize, bool) -> Result<(usize, usize, bool), Error>;
    let decoders: [Decoder; 2] = [decode_in_place::<true>, decode_in_place::<false>];
    for decode in decoders {
        for (plain, plain_non_ascii) in [(1, false), (first, non_ascii)] {
            let mut b = buf.to_vec();
            let got = decode(&mut b, 1, plain, plain_non_ascii);
            match (scanned, got) {
                (Ok((end, escaped)), Ok((got_end, n, got_escaped))) => {
                    assert_eq!((got_end, got_escaped), (end, escaped), "case {case}");
                    let text = core::str::from_utf8(&b[1..1 + n]).expect("decoded UTF-8");
                    assert_eq!(
                        Ok(text),
                        from_serde.as_deref().map_err(|_| ()),
                        "case {case}"
                    );
                    assert_eq!(b[end..], buf[end..], "case {case}: bytes after the string");
                }
                // The scanner checks UTF-8 when the string closes, the decoder when it closes
                // or after eight runs with non-ASCII bytes: it may find a bad byte before the
                // scanner's error. Any other error is the same.
                (Err(want), Err(e)) => {
                    if e.kind() == ErrorKind::InvalidUtf8 && want.kind() != e.kind() {
                        assert!(e.offset() < want.offset(), "case {case}: {e:?} {want:?}");
                        let at = &buf[e.offset()..buf.len().min(e.offset() + 4)];
                        let valid = core::str::from_utf8(at).err().map(|u| u.valid_up_to());
                        assert_eq!(valid, Some(0), "case {case}: {e:?} at valid UTF-8");
                    } else {
                        assert_eq!(
                            (e.kind(), e.offset()),
                            (want.kind(), want.offset()),
                            "case {case}"
                        );
                    }
                    assert!(from_serde.is_err(), "case {case}: serde_json accepts it");
                }
                (want, got) => panic!("case {case}: scan {want:?}, decode {got:?}"),
            }
        }
    }
}

#[test]
fn dense_blocks_decode_as_the_word_decoder_does() {
    // Strings made for the sixteen-byte blocks: JSON held in a string and texts with an escape
    // every few bytes, ASCII and not, with every one-character escape, the escapes the blocks
    // leave to the word decoder (`\\`, `\u`), and hostile bytes (bad UTF-8 of each kind, a
    // control byte, a bad escape) anywhere, the closing quote at every offset in a block.
    const PIECES: &[&[u8]] = &[
        b"\\\"",
        b"\\\"",
        b"\\\":\\\"",
        b"\\\",\\\"",
        b"{\\\"",
        b"\\n",
        b"\\t",
        b"\\r",
        b"\\b",
        b"\\f",
        b"\\/",
        b"\\\\",
        b"\\u0041",
        b"\\u4e2d",
        "é".as_bytes(),
        "中文".as_bytes(),
        "😀".as_bytes(),
        b"[1,2.5]",
    ];
    const HOSTILE: &[&[u8]] = &[
        b"\xFF",
        b"\x80",
        b"\xE4\xB8",
        b"\xE4\xB8a",
        b"\xC0\x80",
        b"\xED\xA0\x80",
        b"\xF4\x90\x80\x80",
        b"\xF0\x8F\xBF\xBF",
        b"\x01",
        b"\\x",
        b"\\\x01",
        b"\\\xC3\xA9",
    ];
    let mut next = xorshift(0x2545_F491_4F6C_DD1Du64);
    let (mut decoded_by_blocks, mut tried) = (0, 0);
    let cases = if cfg!(miri) { 100 } else { 20_000 };
    for case in 0..cases {
        let mut buf = std::vec![b'"'];
        for _ in 0..next(48) {
            let run = next(if case % 4 == 0 { 24 } else { 7 }) as usize;
            buf.extend((0..run).map(|k| b"abcdefghijklmnopqrstuvwxyz0123456789 "[(k * 7) % 37]));
            match next(60) {
                0 => buf.extend_from_slice(HOSTILE[next(HOSTILE.len() as u64) as usize]),
                _ => buf.extend_from_slice(PIECES[next(PIECES.len() as u64) as usize]),
            }
        }
        if next(20) != 0 {
            buf.extend_from_slice(b"\",\"next\":\"tail\\\"\"}");
        }
        buf.extend((0..next(20)).map(|k| b'0' + (k % 10) as u8));
        decoders_agree_with_scan_and_serde_json(&buf, case);
        // How often the blocks take a string from its first escape on.
        let (at, _) = next_special(&buf, 1);
        if buf.get(at) == Some(&b'\\') && buf.get(at + 1) == Some(&b'"') {
            tried += 1;
            let mut b = buf.clone();
            // One escape decoded by hand: `w` is then one byte behind `r`.
            b[at] = b'"';
            if simd::dense::run(&mut b, at + 2, at + 1).0 > at + 2 {
                decoded_by_blocks += 1;
            }
        }
    }
    if std::env::var_os("TIM_EXPECT_SSSE3").is_some() {
        assert!(
            simd::dense::available(),
            "CI's Miri run of the blocks must take them"
        );
    }
    if simd::dense::available() {
        assert!(
            decoded_by_blocks * 4 > tried,
            "{decoded_by_blocks} of {tried} strings"
        );
    } else {
        assert_eq!(decoded_by_blocks, 0);
    }
}

#[cfg(all(
    target_arch = "x86_64",
    any(
        feature = "std",
        all(target_feature = "ssse3", target_feature = "popcnt")
    )
))]
#[test]
fn a_block_is_utf8_exactly_when_from_utf8_says_so() {
    // Blocks of whole characters (ASCII, two-, three- and four-byte, and bytes of every class
    // that make bad UTF-8), cut at a random length and zero-filled, as `dense` passes them.
    if std::env::var_os("TIM_EXPECT_SSSE3").is_some() {
        assert!(
            simd::dense::available(),
            "CI's Miri run of the blocks must take them"
        );
    }
    if !simd::dense::available() {
        return;
    }
    const PIECES: &[&[u8]] = &[
        b"a",
        b" ",
        "é".as_bytes(),
        "中".as_bytes(),
        "😀".as_bytes(),
        "\u{10FFFF}".as_bytes(),
        "\u{FFFF}".as_bytes(),
        "\u{800}".as_bytes(),
        "\u{D7FF}".as_bytes(),
        b"\x80",
        b"\xBF",
        b"\xC0\x80",
        b"\xC1\xBF",
        b"\xE0\x80\x80",
        b"\xE0\x9F\xBF",
        b"\xED\xA0\x80",
        b"\xED\xBF\xBF",
        b"\xF0\x80\x80\x80",
        b"\xF4\x90\x80\x80",
        b"\xF5\x80\x80\x80",
        b"\xFF",
        b"\xE4\xB8",
        b"\xF0\x9F\x98",
    ];
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15u64);
    let cases = if cfg!(miri) { 200 } else { 200_000 };
    for case in 0..cases {
        let mut bytes = std::vec::Vec::new();
        while bytes.len() < 16 {
            let bad = next(8) == 0;
            let pick = if bad {
                next(PIECES.len() as u64)
            } else {
                next(9)
            };
            bytes.extend_from_slice(PIECES[pick as usize]);
        }
        let len = 1 + next(16) as usize;
        let mut block = [0u8; 16];
        block[..len].copy_from_slice(&bytes[..len]);
        // `dense` keeps sixteen bytes only when the last is ASCII.
        if len == 16 && block[15] >= 0x80 {
            block[15] = b'a';
        }
        let want = core::str::from_utf8(&block).is_ok();
        assert_eq!(
            simd::dense::ssse3::utf8_block_checked(block),
            want,
            "case {case}: {block:x?}"
        );
    }
}

/// A xorshift64 generator: each call gives the next number below `n`.
fn xorshift(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    }
}

/// `is_finite_f64` decides on digits what parsing decides by rounding: against `core`'s
/// parser, on numbers at and around the threshold (its digits cut, changed by one, padded with
/// zeros, with the point and the exponent moved) and on random ones of every magnitude.
#[test]
#[cfg_attr(
    miri,
    ignore = "safe digit comparison against core's float parser: minutes under Miri, nothing unsafe"
)]
fn finite_f64_check_agrees_with_parsing() {
    use std::format;
    use std::string::{String, ToString};
    let check = |text: &str| {
        let want = text.parse::<f64>().is_ok_and(f64::is_finite);
        assert!(
            scan_number(text.as_bytes(), 0).is_ok_and(|t| t.end == text.len()),
            "{text}"
        );
        assert_eq!(numbers::is_finite_f64(text.as_bytes()), want, "{text}");
    };
    let half = std::str::from_utf8(super::numbers::HALF_PAST_MAX).unwrap();
    let mut near: std::vec::Vec<String> = std::vec::Vec::new();
    for cut in [1, 2, 16, 17, 18, 100, 308, 309] {
        let d = &half[..cut];
        near.push(d.to_string());
        near.push(format!("{d}000"));
        near.push(format!("{d}0001"));
        // One less and one more in the last digit kept.
        let last = d.as_bytes()[cut - 1];
        for delta in [-1i8, 1] {
            let c = last as i8 + delta;
            if (b'0' as i8..=b'9' as i8).contains(&c) {
                near.push(format!("{}{}", &d[..cut - 1], c as u8 as char));
            }
        }
    }
    for digits in near {
        // `int_len` digits before the point, the exponent around the one that puts the
        // number at the threshold's power of ten (0.d… × 10^309).
        for int_len in [digits.len(), 1, 0, 3] {
            let int_len = int_len.min(digits.len());
            let (a, b) = digits.split_at(int_len);
            let int = a.trim_start_matches('0');
            let int = if int.is_empty() { "0" } else { int };
            let frac = if b.is_empty() {
                String::new()
            } else {
                format!(".{b}")
            };
            let at = 309 - int_len as i64;
            for e in [at - 1, at, at + 1] {
                check(&format!("{int}{frac}e{e}"));
                check(&format!("-{int}{frac}E{e}"));
                if e >= 0 {
                    check(&format!("{int}{frac}e+{e}"));
                }
                if b.is_empty() && e >= 0 && !int.starts_with('0') {
                    check(&format!("{int}{}", "0".repeat(e as usize)));
                }
            }
        }
    }
    for text in [
        "0",
        "-0",
        "0.0",
        "0e999999999999999999999",
        "1e308",
        "1e309",
        "1.8e308",
        "0.000e400",
        "1e-400",
        "1e99999999999999999999999",
        "1e-99999999999999999999999",
        "17976931348623157e292",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.99999",
        "0.0000179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792e314",
    ] {
        check(text);
    }
    // Random digits at random powers of ten (a fixed-seed generator: the run is the same each time).
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..20_000 {
        let len = 1 + (next() % 30) as usize;
        let digits: String = (0..len)
            .map(|_| char::from(b'0' + (next() % 10) as u8))
            .collect();
        let point = (next() % (len as u64 + 1)) as usize;
        let (a, b) = digits.split_at(point);
        let int = if a.is_empty() {
            "0"
        } else {
            a.trim_start_matches('0')
        };
        let int = if int.is_empty() { "0" } else { int };
        let frac = if b.is_empty() {
            String::new()
        } else {
            format!(".{b}")
        };
        let e = (next() % 700) as i64 - 350;
        check(&format!("{int}{frac}e{e}"));
    }
}
