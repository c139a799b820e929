//! Message bodies: `MsgBody` is a list of elements `{"MsgType": …, "MsgContent": {…}}`.

use crate::error::Error;
use crate::json;
use crate::read::List;
use crate::read::{self, Source};
use crate::read::{Decode, record};
use crate::value::{Number, RawJson};
use crate::vocab::{ImageFormat, ImageType};

record! {
    /// `TIMTextElem`: text.
    pub struct TextElem<'a> {
        /// The text.
        "Text" text: &'a str,
    }
}

record! {
    /// `TIMLocationElem`: a position.
    pub struct LocationElem<'a> {
        /// Description of the place.
        "Desc" desc: &'a str,
        /// Latitude in degrees, as sent (see [`Number`]).
        "Latitude" latitude: Number<'a>,
        /// Longitude in degrees, as sent.
        "Longitude" longitude: Number<'a>,
    }
}

record! {
    /// `TIMFaceElem`: an emoji/sticker.
    pub struct FaceElem<'a> {
        /// Sticker index.
        "Index" index: u32,
        /// Extra data.
        "Data" data: &'a str,
    }
}

record! {
    /// `TIMCustomElem`: app-defined content; `Data` often holds JSON text.
    pub struct CustomElem<'a> {
        /// Custom data (often JSON text; kept as the string it is).
        "Data" data: &'a str,
        /// Description, used for offline push.
        "Desc" desc: &'a str,
        /// Extension field.
        "Ext" ext: &'a str,
        /// Custom APNs push sound.
        "Sound" sound: &'a str,
    }
}

record! {
    /// `TIMSoundElem`: a voice message. 2.x/3.x SDKs send only `UUID`, `Size`, `Second`.
    pub struct SoundElem<'a> {
        /// Download URL.
        "Url" url: &'a str,
        /// Unique id of the audio.
        "UUID" uuid: &'a str,
        /// Size in bytes.
        "Size" size: u64,
        /// Duration in seconds.
        "Second" second: u32,
        /// Download flag (2 = downloadable by URL).
        "Download_Flag" download_flag: u32,
    }
}

record! {
    /// One rendition of an image (`ImageInfoArray[]`).
    pub struct ImageInfo<'a> {
        /// Original, large or thumbnail.
        "Type" image_type: ImageType,
        /// Size in bytes.
        "Size" size: u64,
        /// Width in pixels (may be 0).
        "Width" width: u32,
        /// Height in pixels (may be 0).
        "Height" height: u32,
        /// Download URL (spelled `URL` here, `Url` in sound and file elements).
        "URL" url: &'a str,
    }
}

record! {
    /// `TIMImageElem`: an image with its renditions.
    pub struct ImageElem<'a> {
        /// Unique id of the image.
        "UUID" uuid: &'a str,
        /// Format.
        "ImageFormat" image_format: ImageFormat,
        /// Original, large and thumbnail renditions.
        "ImageInfoArray" image_info_array: List<'a, ImageInfo<'a>>,
    }
}

record! {
    /// `TIMFileElem`: a file. 2.x/3.x SDKs send only `UUID`, `FileSize`, `FileName`.
    pub struct FileElem<'a> {
        /// Download URL.
        "Url" url: &'a str,
        /// Unique id of the file.
        "UUID" uuid: &'a str,
        /// Size in bytes.
        "FileSize" file_size: u64,
        /// File name (may be a `file:///` path).
        "FileName" file_name: &'a str,
        /// Download flag (2 = downloadable by URL).
        "Download_Flag" download_flag: u32,
    }
}

record! {
    /// `TIMVideoFileElem`: a video and its thumbnail.
    pub struct VideoElem<'a> {
        /// Video download URL.
        "VideoUrl" video_url: &'a str,
        /// Unique id of the video.
        "VideoUUID" video_uuid: &'a str,
        /// Video size in bytes.
        "VideoSize" video_size: u64,
        /// Duration in seconds (0 from Web clients).
        "VideoSecond" video_second: u32,
        /// Container format, e.g. `mp4`.
        "VideoFormat" video_format: &'a str,
        /// Video download flag.
        "VideoDownloadFlag" video_download_flag: u32,
        /// Thumbnail download URL.
        "ThumbUrl" thumb_url: &'a str,
        /// Unique id of the thumbnail.
        "ThumbUUID" thumb_uuid: &'a str,
        /// Thumbnail size in bytes.
        "ThumbSize" thumb_size: u64,
        /// Thumbnail width in pixels.
        "ThumbWidth" thumb_width: u32,
        /// Thumbnail height in pixels.
        "ThumbHeight" thumb_height: u32,
        /// Thumbnail format, e.g. `JPG`.
        "ThumbFormat" thumb_format: &'a str,
        /// Thumbnail download flag.
        "ThumbDownloadFlag" thumb_download_flag: u32,
    }
}

record! {
    /// One forwarded message inside a merged-forward element (`MsgList[]`).
    pub struct RelayMsg<'a> {
        /// Sender.
        "From_Account" from_account: &'a str,
        /// Recipient (one-to-one messages only).
        "To_Account" to_account: Option<&'a str>,
        /// Group (group messages only).
        "GroupId" group_id: Option<&'a str>,
        /// Message sequence number.
        "MsgSeq" msg_seq: u32,
        /// Message random number (u32; exceeds i32).
        "MsgRandom" msg_random: u32,
        /// Send time in seconds.
        "MsgTimeStamp" msg_time_stamp: u64,
        /// The forwarded message's own body (may nest further relays).
        "MsgBody" msg_body: List<'a, MsgElem<'a>>,
        /// The forwarded message's custom data.
        "CloudCustomData" cloud_custom_data: Option<&'a str>,
    }
}

record! {
    /// `TIMRelayElem`: merged-forward messages. Carries `MsgList` (≤ 12 KB) or `JsonMsgKey`.
    pub struct RelayElem<'a> {
        /// Title, e.g. "Group chat history".
        "Title" title: &'a str,
        /// Number of forwarded messages.
        "MsgNum" msg_num: u32,
        /// Text shown by SDKs that cannot display merged messages.
        "CompatibleText" compatible_text: &'a str,
        /// Summary lines.
        "AbstractList" abstract_list: List<'a, &'a str>,
        /// The forwarded messages.
        "MsgList" msg_list: List<'a, RelayMsg<'a>>,
        /// Key to fetch a large message list instead of `MsgList`.
        "JsonMsgKey" json_msg_key: Option<&'a str>,
    }
}

macro_rules! elements {
    ($( $variant:ident($ty:ident) = $name:literal ),* $(,)?) => {
        /// One element of a message body.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum MsgElem<'a> {
            $( #[doc = concat!("`", $name, "`")] $variant($ty<'a>), )*
            /// An element type this crate does not model (group tips, types added later, …),
            /// kept rather than rejected.
            Unknown {
                /// `MsgType` as sent (empty when absent).
                msg_type: &'a str,
                /// `MsgContent` as raw JSON (empty when absent).
                content: RawJson<'a>,
            },
        }

        #[derive(Clone, Copy)]
        enum Kind { $( $variant, )* Unknown }

        impl Kind {
            fn of(text: &str) -> Kind {
                Kind::of_bytes(text.as_bytes())
            }
            /// The kind named by `text` as bytes: a known name is ASCII, so text that is not
            /// UTF-8 is simply no known name.
            fn of_bytes(text: &[u8]) -> Kind {
                const NAMES: &[&str] = &[ $( $name, )* ];
                const KINDS: &[Kind] = &[ $( Kind::$variant, )* ];
                match json::lookup(NAMES, text).and_then(|i| KINDS.get(i)) {
                    Some(&k) => k,
                    None => Kind::Unknown,
                }
            }
            /// The kind named by raw (escaped) string content, validated or not: a malformed
            /// escape or text that is not UTF-8 decodes to no known name.
            fn of_escaped(raw: &[u8]) -> Kind {
                $( if json::unescaped_eq(raw, $name) { return Kind::$variant; } )*
                Kind::Unknown
            }
        }

        impl<'a> MsgElem<'a> {
            /// The element's `MsgType`.
            pub const fn msg_type(&self) -> &'a str {
                match self {
                    $( MsgElem::$variant(_) => $name, )*
                    MsgElem::Unknown { msg_type, .. } => msg_type,
                }
            }
        }

        fn content<'x, S: Source<'x>>(kind: Kind, s: &mut S) -> Result<MsgElem<'x>, Error> {
            match kind {
                $( Kind::$variant => <$ty<'x>>::decode(s).map(MsgElem::$variant), )*
                Kind::Unknown => RawJson::decode(s)
                    .map(|content| MsgElem::Unknown { msg_type: "", content }),
            }
        }

        /// [`content`] through the second read's fast path (`None` for unknown types).
        /// Always inlined into `MsgElem::reread`: the 144-byte element is then built where the
        /// iterator returns it, not copied there by a `memcpy` call.
        #[inline(always)]
        fn reread_content<'x>(kind: Kind, buf: &'x [u8], i: usize) -> Option<(MsgElem<'x>, usize)> {
            match kind {
                $( Kind::$variant => <$ty<'x>>::reread(buf, i, (0, 0))
                    .map(|(c, end)| (MsgElem::$variant(c), end)), )*
                Kind::Unknown => None,
            }
        }

        fn absent_content<'x>(kind: Kind) -> MsgElem<'x> {
            match kind {
                $( Kind::$variant => MsgElem::$variant(<$ty<'x>>::absent()), )*
                Kind::Unknown => MsgElem::Unknown { msg_type: "", content: RawJson::absent() },
            }
        }

        /// `{"MsgType":…,"MsgContent":…}`; an unknown element's content as it was sent
        /// (nothing when it had none).
        impl crate::emit::Emit for MsgElem<'_> {
            fn emit<W: core::fmt::Write>(&self, w: &mut W) -> core::fmt::Result {
                let mut first = true;
                w.write_char('{')?;
                crate::emit::member(w, &mut first, "MsgType", self.msg_type())?;
                match self {
                    $( MsgElem::$variant(c) => crate::emit::member(w, &mut first, "MsgContent", c)?, )*
                    MsgElem::Unknown { content, .. } => {
                        crate::emit::member(w, &mut first, "MsgContent", content)?
                    }
                }
                w.write_char('}')
            }
        }

        /// As [`Emit`](crate::emit::Emit) writes it: empty strings left out.
        #[cfg(feature = "serde")]
        impl crate::ser::SerializeCompact for MsgElem<'_> {
            fn serialize_compact<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
                use serde::ser::SerializeMap;
                use crate::ser::Entry;
                let mut m = z.serialize_map(None)?;
                self.msg_type().put_compact("MsgType", &mut m)?;
                match self {
                    $( MsgElem::$variant(c) => c.put_compact("MsgContent", &mut m)?, )*
                    MsgElem::Unknown { content, .. } => content.put_compact("MsgContent", &mut m)?,
                }
                m.end()
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for MsgElem<'_> {
            fn serialize<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
                use serde::ser::SerializeMap;
                let mut m = z.serialize_map(Some(2))?;
                m.serialize_entry("MsgType", self.msg_type())?;
                match self {
                    $( MsgElem::$variant(c) => m.serialize_entry("MsgContent", c)?, )*
                    MsgElem::Unknown { content, .. } => {
                        $crate::ser::Entry::put(content, "MsgContent", &mut m)?
                    }
                }
                m.end()
            }
        }
    };
}

elements! {
    Text(TextElem) = "TIMTextElem",
    Location(LocationElem) = "TIMLocationElem",
    Face(FaceElem) = "TIMFaceElem",
    Custom(CustomElem) = "TIMCustomElem",
    Sound(SoundElem) = "TIMSoundElem",
    Image(ImageElem) = "TIMImageElem",
    File(FileElem) = "TIMFileElem",
    Video(VideoElem) = "TIMVideoFileElem",
    Relay(RelayElem) = "TIMRelayElem",
}

/// Positions in `MsgElem`'s key table (which rewritten keys store, see `crate::json`).
const MSG_TYPE: usize = 0;
const MSG_CONTENT: usize = 1;
/// `MsgElem`'s key table, built from the positions above.
const ELEM_KEYS: [&str; 2] = {
    let mut keys = [""; 2];
    keys[MSG_TYPE] = "MsgType";
    keys[MSG_CONTENT] = "MsgContent";
    keys
};

/// Second read: the element type named by the `MsgType` string that the first read noted on
/// the `MsgContent` key whose value starts at `value` (the note: the string's distance from
/// there, and its length, each + 1).
#[inline]
fn noted_kind(buf: &[u8], value: usize, note: (usize, usize)) -> Option<Kind> {
    let (to @ 1.., len @ 1..) = note else {
        return None;
    };
    let quote = (value + to).checked_sub(2)?;
    read::reread_str(buf, quote, len).map(|(msg_type, _)| Kind::of(msg_type))
}

/// The element type named by a `MsgType` member that follows the value at the cursor.
///
/// The first read notes, on the `MsgContent` key, where the `MsgType` string lies relative to
/// the content (when it is plain), so the second read jumps there instead of walking over the
/// content.
fn kind_ahead<'x, S: Source<'x>>(s: &mut S) -> Result<Kind, Error> {
    s.peek();
    if s.trusted() {
        let note = s.noted();
        if let Some(kind) = noted_kind(s.buf(), s.pos(), note) {
            return Ok(kind);
        }
    }
    // First without validating what it passes over: `MsgContent` is validated when it is
    // read, and the members after it by the object's own loop. The validating walk runs
    // only when that finds nothing, for the precise error or a true absence.
    let fast = (!s.trusted())
        .then(|| json::find_key_after_value_unchecked(s.buf(), s.pos(), ELEM_KEYS[MSG_TYPE]))
        .flatten();
    let found = match fast {
        Some(f) => Some(f),
        None => json::find_key_after_value(
            s.buf(),
            s.pos(),
            s.depth().saturating_sub(1),
            // With its index, for keys the first read rewrote.
            (ELEM_KEYS[MSG_TYPE], MSG_TYPE as u8),
            s.trusted(),
        )
        .map_err(|e| e.shift(s.base()))?,
    };
    match found {
        Some(f) if !f.escaped && f.start > s.pos() => {
            s.note(f.start - s.pos(), Some(f.end - f.start))
        }
        _ => s.no_note(),
    }
    Ok(match found {
        None => Kind::Unknown,
        Some(f) => {
            // Unchecked on raw input (the content and this member are validated when the
            // element is read): as bytes, which a known name matches only if it is one.
            let raw = s.buf().get(f.start..f.end).unwrap_or_default();
            if f.escaped {
                Kind::of_escaped(raw)
            } else {
                Kind::of_bytes(raw)
            }
        }
    })
}

impl crate::read::Sealed for MsgElem<'_> {}
impl Decode for MsgElem<'_> {
    type Of<'x> = MsgElem<'x>;

    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<MsgElem<'x>, Error> {
        let mut msg_type: Option<&'x str> = None;
        let mut elem: Option<MsgElem<'x>> = None;
        s.begin_object()?;
        let mut first = true;
        // `MsgType` first, as Tencent sends it; `MsgContent` first, as a sorted map writes it.
        let mut hint = (MSG_TYPE, MSG_CONTENT);
        while let Some((index, at)) = s.next_field(&mut first, &ELEM_KEYS, hint)? {
            hint = match index {
                MSG_TYPE => (MSG_CONTENT, usize::MAX),
                _ => (MSG_TYPE, usize::MAX),
            };
            match index {
                MSG_TYPE => {
                    if msg_type.is_some() {
                        return Err(crate::read::duplicate(at, "MsgType"));
                    }
                    msg_type = Some(s.string().map_err(|e| e.in_key("MsgType"))?);
                }
                MSG_CONTENT => {
                    if elem.is_some() {
                        return Err(crate::read::duplicate(at, "MsgContent"));
                    }
                    let kind = match msg_type {
                        Some(t) => Kind::of(t),
                        // `MsgType` decides how `MsgContent` reads. Tencent sends it first,
                        // but its merged-forward example sends `MsgContent` first: look ahead.
                        None => kind_ahead(s)?,
                    };
                    elem = Some(content(kind, s).map_err(|e| e.in_key("MsgContent"))?);
                }
                _ => s.skip()?,
            }
        }
        let kind = msg_type.map_or(Kind::Unknown, Kind::of);
        Ok(match elem.unwrap_or_else(|| absent_content(kind)) {
            MsgElem::Unknown { content, .. } => MsgElem::Unknown {
                msg_type: msg_type.unwrap_or(""),
                content,
            },
            known => known,
        })
    }

    fn absent<'x>() -> MsgElem<'x> {
        absent_content(Kind::Unknown)
    }

    /// The two usual shapes of a known element, both members rewritten: `MsgType` then
    /// `MsgContent`, or `MsgContent` (whose note says where the type is) then `MsgType`.
    #[inline]
    fn reread<'x>(buf: &'x [u8], i: usize, _: (usize, usize)) -> Option<(MsgElem<'x>, usize)> {
        if buf.get(i) != Some(&b'{') {
            return None;
        }
        let (tag, value, note) = crate::json::format::reread_key(buf, i + 1)?;
        let (elem, end) = match usize::from(tag) {
            MSG_TYPE => {
                let (msg_type, end) = read::reread_str(buf, value, note.0)?;
                if buf.get(end) != Some(&b',') {
                    return None;
                }
                let (MSG_CONTENT_TAG, value, _) = crate::json::format::reread_key(buf, end + 1)?
                else {
                    return None;
                };
                reread_content(Kind::of(msg_type), buf, value)?
            }
            MSG_CONTENT => {
                // Known types' content is an object; the note says where the type is.
                if buf.get(value) != Some(&b'{') {
                    return None;
                }
                let (elem, end) = reread_content(noted_kind(buf, value, note)?, buf, value)?;
                if buf.get(end) != Some(&b',') {
                    return None;
                }
                let (MSG_TYPE_TAG, value, note) = crate::json::format::reread_key(buf, end + 1)?
                else {
                    return None;
                };
                let (_, end) = read::reread_str(buf, value, note.0)?;
                (elem, end)
            }
            _ => return None,
        };
        let end = match buf.get(end) {
            Some(b'}') => end + 1,
            _ => crate::json::format::reread_close_after_ws(buf, end)?,
        };
        Some((elem, end))
    }
}

/// The rewritten-key tags of `MsgType` and `MsgContent`.
const MSG_TYPE_TAG: u8 = MSG_TYPE as u8;
const MSG_CONTENT_TAG: u8 = MSG_CONTENT as u8;

/// `serde::Serialize` for the types above.
#[cfg(feature = "serde")]
mod ser {
    use serde::ser::SerializeMap;

    use super::MsgElem;
    use crate::ser::{Compact, Entry};

    impl Entry for MsgElem<'_> {
        #[inline]
        fn put<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
            m.serialize_entry(key, self)
        }
        #[inline]
        fn put_compact<M: SerializeMap>(
            &self,
            key: &'static str,
            m: &mut M,
        ) -> Result<(), M::Error> {
            m.serialize_entry(key, &Compact(self))
        }
    }
}
