//! Content moderation results (`ContentCallback.*`).

use crate::read::List;
use crate::read::record;
use crate::vocab::{ContactType, ModerationContent, ModerationScene, Suggestion};

record! {
    /// The conversation of moderated content (`ContactItem`).
    pub struct ContactItem<'a> {
        /// One-to-one or group (`ContactType` in Tencent's docs, `Type` in the Java SDK).
        "ContactType" | "Type" contact_type: ContactType,
        /// The recipient, for one-to-one messages.
        "To_Account" to_account: Option<&'a str>,
        /// The group, for group messages.
        "ToGroupId" to_group_id: Option<&'a str>,
    }
}

record! {
    /// `ContentCallback.ResultNotify`: the result of moderating content. Its body has no
    /// `CallbackCommand`: parse it with [`parse_as`](crate::parse_as) and the query's command.
    pub struct ContentResultNotify<'a> command "ContentCallback.ResultNotify"; {
        /// Where the content came from.
        "Scene" scene: ModerationScene<'a>,
        /// The app (a number here; `SdkAppid` in the query).
        "SdkAppId" sdk_app_id: u64,
        /// Who sent it.
        "From_Account" from_account: &'a str,
        /// The conversation.
        "ContactItem" contact_item: ContactItem<'a>,
        /// Text, image, audio or video.
        "ContentType" content_type: ModerationContent<'a>,
        /// The texts moderated.
        "TextContent" text_content: List<'a, &'a str>,
        /// The file moderated (images, audio, video).
        "FileURL" file_url: Option<&'a str>,
        /// The message: its `MsgKey` for one-to-one messages, its `MsgSeq` for group ones.
        "MsgID" msg_id: &'a str,
        /// 1 when blocked, 0 when passed.
        "CtxcbResult" ctxcb_result: u32,
        /// The moderation request's id.
        "CtxcbRequestId" ctxcb_request_id: &'a str,
        /// The keywords that matched.
        "CtxcbKeywords" ctxcb_keywords: List<'a, &'a str>,
        /// Block, review or normal.
        "CtxcbSuggestion" ctxcb_suggestion: Option<Suggestion<'a>>,
        /// The label, e.g. `Porn`.
        "CtxcbLabel" ctxcb_label: Option<&'a str>,
        /// The sub-label.
        "CtxcbSubLabel" ctxcb_sub_label: Option<&'a str>,
        /// The sub-label in words.
        "CtxcbSubLabelDesc" ctxcb_sub_label_desc: Option<&'a str>,
        /// The custom library that matched.
        "CtxcbLibName" ctxcb_lib_name: Option<&'a str>,
        /// Custom data of the message.
        "CloudCustomData" cloud_custom_data: Option<&'a str>,
    }
}
