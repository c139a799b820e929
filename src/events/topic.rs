//! Topics of community groups (`Group.*Topic*`).

use super::shared::UserDefinedData;
use crate::read::List;
use crate::read::record;
use crate::value::EventTime;
use crate::vocab::GroupType;

record! {
    /// `Group.CallbackBeforeCreateTopic`: before a topic is created in a community (the answer
    /// may reject it).
    pub struct GroupBeforeCreateTopic<'a> command "Group.CallbackBeforeCreateTopic"; {
        /// The community (absent from Tencent's example).
        "GroupId" group_id: Option<&'a str>,
        /// Who asked.
        "Operator_Account" operator_account: &'a str,
        /// Group type (`Community`).
        "Type" group_type: GroupType<'a>,
        /// The topic's name.
        "Name" name: &'a str,
        /// Event time in milliseconds (absent from Tencent's example).
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterCreateTopic`: after a topic was created.
    pub struct GroupAfterCreateTopic<'a> command "Group.CallbackAfterCreateTopic"; {
        /// The community.
        "GroupId" group_id: &'a str,
        /// The new topic.
        "TopicId" topic_id: &'a str,
        /// Who created it.
        "Operator_Account" operator_account: &'a str,
        /// Its owner.
        "Owner_Account" owner_account: &'a str,
        /// Group type (`Community`).
        "Type" group_type: GroupType<'a>,
        /// The topic's name.
        "Name" name: &'a str,
        /// Custom fields given at creation.
        "UserDefinedDataList" user_defined_data_list: List<'a, UserDefinedData<'a>>,
        /// Event time in milliseconds (absent from Tencent's example).
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterTopicDestroyed`: after topics were disbanded.
    pub struct GroupAfterTopicDestroyed<'a> command "Group.CallbackAfterTopicDestroyed"; {
        /// The community.
        "GroupId" group_id: &'a str,
        /// Group type (`Community`).
        "Type" group_type: GroupType<'a>,
        /// The topics disbanded.
        "TopicIdList" topic_id_list: List<'a, &'a str>,
        /// Event time in milliseconds (absent from Tencent's example).
        "EventTime" event_time: Option<EventTime>,
    }
}

record! {
    /// `Group.CallbackAfterTopicInfoChanged`: after a topic's profile changed; only the changed
    /// fields are present.
    pub struct GroupAfterTopicInfoChanged<'a> command "Group.CallbackAfterTopicInfoChanged"; {
        /// The community.
        "GroupId" group_id: &'a str,
        /// The topic (absent from Tencent's example and field table, so an `Option`).
        "TopicId" topic_id: Option<&'a str>,
        /// Group type (`Community`).
        "Type" group_type: GroupType<'a>,
        /// Who changed it.
        "Operator_Account" operator_account: &'a str,
        /// New name, if changed.
        "Name" name: Option<&'a str>,
        /// New introduction, if changed.
        "Introduction" introduction: Option<&'a str>,
        /// New announcement, if changed.
        "Notification" notification: Option<&'a str>,
        /// New avatar URL, if changed.
        "FaceUrl" face_url: Option<&'a str>,
        /// Event time in milliseconds (absent from Tencent's example).
        "EventTime" event_time: Option<EventTime>,
    }
}
