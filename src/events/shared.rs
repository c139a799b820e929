//! Pieces several families share: group members, custom group fields, extension items.

use crate::read::record;
use crate::value::Value;

record! {
    /// A group member (`{"Member_Account": …}`).
    pub struct Member<'a> {
        /// The member's UserID.
        "Member_Account" member_account: &'a str,
    }
}

record! {
    /// A custom group field (`UserDefinedDataList[]`).
    pub struct UserDefinedData<'a> {
        /// Field name.
        "Key" key: &'a str,
        /// Field value (a string in Tencent's examples; other JSON is kept raw).
        "Value" value: Value<'a>,
    }
}

record! {
    /// One key of a message's extensions (`ExtensionList[]`).
    pub struct Extension<'a> {
        /// The key.
        "Key" key: &'a str,
        /// Its value (empty once deleted).
        "Value" value: &'a str,
        /// This key's version.
        "Seq" seq: u64,
    }
}
