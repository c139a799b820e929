//! The pieces of an answer's extras: message elements to send in place of the sender's (kept,
//! edited or new), and per-target friend verdicts.

use core::fmt::{self, Write};

use super::{AnswerError, rules};
use crate::emit::{self, Emit};
use crate::msg::{ImageInfo, MsgElem};
use crate::vocab::ImageFormat;

/// One element of a replacement `MsgBody`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ReplyElem<'a> {
    /// An element as the event decoded it (kept or edited), or one built from the element
    /// structs (`MsgElem::Text(TextElem { text: "…" })`, a `CustomElem`, …). Written in
    /// Tencent's keys, every field the element has.
    Elem(MsgElem<'a>),
    /// A text element whose listed words are masked as it is written.
    Masked(MaskedText<'a>),
    /// An image element built by the handler, its renditions given as a slice.
    Image(NewImage<'a>),
}

impl<'a> ReplyElem<'a> {
    /// A `TIMTextElem` with `text`.
    pub const fn text(text: &'a str) -> Self {
        ReplyElem::Elem(MsgElem::Text(crate::msg::TextElem { text }))
    }

    /// A `TIMTextElem` with `text`, each character of every occurrence of one of `words`
    /// replaced by `*` (see [`MaskedText`]).
    pub const fn masked(text: &'a str, words: &'a [&'a str]) -> Self {
        ReplyElem::Masked(MaskedText::new(text, words))
    }
}

impl<'a> From<MsgElem<'a>> for ReplyElem<'a> {
    fn from(elem: MsgElem<'a>) -> Self {
        ReplyElem::Elem(elem)
    }
}

impl Emit for ReplyElem<'_> {
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result {
        match self {
            // Written as records write themselves: empty strings left out.
            ReplyElem::Elem(elem) => elem.emit(w),
            ReplyElem::Masked(text) => {
                w.write_str("{\"MsgType\":\"TIMTextElem\",\"MsgContent\":")?;
                text.emit(w)?;
                w.write_char('}')
            }
            ReplyElem::Image(image) => {
                w.write_str("{\"MsgType\":\"TIMImageElem\",\"MsgContent\":")?;
                image.emit(w)?;
                w.write_char('}')
            }
        }
    }
}

/// A text with words masked: every character of each occurrence of one of `words` (exact,
/// case-sensitive substrings; occurrences may overlap) is written as the mask character
/// (`*` unless [`with_mask`](Self::with_mask) says otherwise). Nothing is copied: the masking
/// happens as the answer is written, so it needs no buffer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MaskedText<'a> {
    text: &'a str,
    words: &'a [&'a str],
    mask: char,
}

impl<'a> MaskedText<'a> {
    /// `text` with `words` masked by `*`. Empty words are ignored.
    pub const fn new(text: &'a str, words: &'a [&'a str]) -> Self {
        MaskedText {
            text,
            words,
            mask: '*',
        }
    }

    /// The same, masking with `mask` instead of `*`.
    pub const fn with_mask(self, mask: char) -> Self {
        MaskedText { mask, ..self }
    }

    /// Whether any listed word occurs in the text (whether masking changes it).
    pub fn changes(&self) -> bool {
        self.words
            .iter()
            .any(|w| !w.is_empty() && self.text.contains(w))
    }

    /// The text before masking.
    pub const fn original(&self) -> &'a str {
        self.text
    }

    /// Calls `f` with the masked text in pieces: runs of the original and mask characters.
    fn pieces(&self, mut f: impl FnMut(&str) -> fmt::Result) -> fmt::Result {
        let text = self.text;
        let mut mask = [0u8; 4];
        let mask: &str = self.mask.encode_utf8(&mut mask);
        // The first bytes of the words: positions starting with another byte need no compare.
        let mut starts = [false; 256];
        for word in self.words {
            if let Some(&b) = word.as_bytes().first() {
                starts[usize::from(b)] = true;
            }
        }
        // Bytes before this index belong to an occurrence found so far.
        let mut covered_until = 0;
        let mut run = 0;
        for (i, c) in text.char_indices() {
            let rest = text.get(i..).unwrap_or_default();
            if rest
                .as_bytes()
                .first()
                .is_some_and(|&b| starts[usize::from(b)])
            {
                for word in self.words {
                    if !word.is_empty() && rest.starts_with(word) {
                        covered_until = covered_until.max(i + word.len());
                    }
                }
            }
            if i < covered_until {
                f(text.get(run..i).unwrap_or_default())?;
                f(mask)?;
                run = i + c.len_utf8();
            }
        }
        f(text.get(run..).unwrap_or_default())
    }
}

/// The masked text, unescaped.
impl fmt::Display for MaskedText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.pieces(|piece| f.write_str(piece))
    }
}

/// `{"Text":"<masked>"}`: the content of a text element.
impl Emit for MaskedText<'_> {
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result {
        w.write_str("{\"Text\":\"")?;
        self.pieces(|piece| emit::string_content(w, piece))?;
        w.write_str("\"}")
    }
}

/// A `TIMImageElem` built by the handler (an event's own images are [`MsgElem::Image`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NewImage<'a> {
    /// Unique id of the image.
    pub uuid: &'a str,
    /// Format.
    pub image_format: ImageFormat,
    /// Original, large and thumbnail renditions.
    pub image_info_array: &'a [ImageInfo<'a>],
}

impl Emit for NewImage<'_> {
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result {
        let mut first = true;
        w.write_char('{')?;
        emit::member(w, &mut first, "UUID", self.uuid)?;
        emit::key(w, &mut first, "ImageFormat")?;
        self.image_format.emit(w)?;
        emit::key(w, &mut first, "ImageInfoArray")?;
        emit::array(w, self.image_info_array)?;
        w.write_char('}')
    }
}

/// A verdict on one friend request target (`ResultItem[]` of the answer to
/// `Sns.CallbackPrevFriendAdd` / `Sns.CallbackPrevFriendResponse`): `ResultCode` 0 allows,
/// a code in 38000–39000 denies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResultItem<'a> {
    to_account: &'a str,
    result_code: u32,
    result_info: &'a str,
}

impl<'a> ResultItem<'a> {
    /// Lets the request concerning `to_account` through.
    pub const fn allow(to_account: &'a str) -> Self {
        ResultItem {
            to_account,
            result_code: 0,
            result_info: "",
        }
    }

    /// Denies the request concerning `to_account` with `code` (38000–39000, else
    /// [`AnswerError::CodeOutOfRange`]) and a message for the client.
    pub const fn deny(to_account: &'a str, code: u32, info: &'a str) -> Result<Self, AnswerError> {
        let (min, max) = rules::FRIEND_DENY_CODES;
        if code < min || code > max {
            return Err(AnswerError::CodeOutOfRange { code, min, max });
        }
        Ok(ResultItem {
            to_account,
            result_code: code,
            result_info: info,
        })
    }

    /// `To_Account`.
    pub const fn to_account(&self) -> &'a str {
        self.to_account
    }

    /// `ResultCode`: 0 allows, else denies.
    pub const fn result_code(&self) -> u32 {
        self.result_code
    }

    /// `ResultInfo`.
    pub const fn result_info(&self) -> &'a str {
        self.result_info
    }
}

impl Emit for ResultItem<'_> {
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result {
        // All three keys are required, empty or not.
        w.write_str("{\"To_Account\":")?;
        emit::string(w, self.to_account)?;
        w.write_str(",\"ResultCode\":")?;
        emit::unsigned(w, u64::from(self.result_code))?;
        w.write_str(",\"ResultInfo\":")?;
        emit::string(w, self.result_info)?;
        w.write_char('}')
    }
}

#[cfg(feature = "serde")]
mod ser {
    use serde::ser::{Serialize, SerializeMap, Serializer};

    use super::*;

    /// A `TIMTextElem`'s content with the text masked.
    struct MaskedContent<'t>(&'t MaskedText<'t>);

    impl Serialize for MaskedContent<'_> {
        fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            let mut m = z.serialize_map(Some(1))?;
            m.serialize_entry("Text", &Shown(self.0))?;
            m.end()
        }
    }

    /// A sequence written from a cloneable iterator.
    struct Seq<I>(I);

    impl<I: Iterator + Clone> Serialize for Seq<I>
    where
        I::Item: Serialize,
    {
        fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            z.collect_seq(self.0.clone())
        }
    }

    /// The masked text as a string.
    struct Shown<'t>(&'t MaskedText<'t>);

    impl Serialize for Shown<'_> {
        fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            z.collect_str(self.0)
        }
    }

    impl Serialize for ReplyElem<'_> {
        fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            match self {
                ReplyElem::Elem(elem) => crate::ser::Compact(elem).serialize(z),
                ReplyElem::Masked(text) => {
                    let mut m = z.serialize_map(Some(2))?;
                    m.serialize_entry("MsgType", "TIMTextElem")?;
                    m.serialize_entry("MsgContent", &MaskedContent(text))?;
                    m.end()
                }
                ReplyElem::Image(image) => {
                    let mut m = z.serialize_map(Some(2))?;
                    m.serialize_entry("MsgType", "TIMImageElem")?;
                    m.serialize_entry("MsgContent", image)?;
                    m.end()
                }
            }
        }
    }

    impl Serialize for NewImage<'_> {
        fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            let mut m = z.serialize_map(Some(3))?;
            if !self.uuid.is_empty() {
                m.serialize_entry("UUID", self.uuid)?;
            }
            m.serialize_entry("ImageFormat", &self.image_format)?;
            let infos = self.image_info_array.iter().map(crate::ser::Compact);
            m.serialize_entry("ImageInfoArray", &Seq(infos))?;
            m.end()
        }
    }

    impl Serialize for ResultItem<'_> {
        fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            let mut m = z.serialize_map(Some(3))?;
            m.serialize_entry("To_Account", self.to_account)?;
            m.serialize_entry("ResultCode", &self.result_code)?;
            m.serialize_entry("ResultInfo", self.result_info)?;
            m.end()
        }
    }
}
