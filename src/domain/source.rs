use super::named_enum;

named_enum! {
    /// The three government systems the hub pulls from. 来源系统
    Source, "source" {
        /// 12345 政务服务便民热线 work orders.
        Hotline => "hotline",
        /// 110 接处警 police alarms.
        Alarm => "alarm",
        /// 信访 petitions.
        Petition => "petition",
    }
}
