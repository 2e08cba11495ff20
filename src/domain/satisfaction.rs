use super::named_enum;

named_enum! {
    /// Caller satisfaction after a hotline order is handled (满意度).
    Satisfaction, "satisfaction" {
        /// 满意 Satisfied.
        Satisfied => "satisfied",
        /// 基本满意 Basically satisfied.
        BasicallySatisfied => "basically_satisfied",
        /// 不满意 Dissatisfied.
        Dissatisfied => "dissatisfied",
        /// 未评价 Not rated.
        Unrated => "unrated",
    }
}
