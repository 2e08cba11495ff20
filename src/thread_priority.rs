//! Scheduling priority of the calling thread. A sync has one serial stage, SQLite's writer,
//! and several stages that run in parallel around it (fetching, mapping). Left at equal
//! priority on a machine with few cores, the writer waits in the run queue behind the
//! mapping that fills a queue only the writer can empty: on two cores it spent about a fifth
//! of a sync waiting for a core. So the writer asks to go first.
//!
//! Only Linux gives each thread a nice value of its own; elsewhere `setpriority` would change
//! the whole process, so these calls do nothing there.

/// Raises the calling thread's priority to `nice` (negative: higher) unless it already runs at
/// least that high. Needs CAP_SYS_NICE or an RLIMIT_NICE that allows it; returns whether the
/// thread now runs at `nice` or higher.
pub fn raise(nice: i32) -> bool {
    current().is_some_and(|now| now <= nice) || set(nice)
}

#[cfg(target_os = "linux")]
fn set(nice: i32) -> bool {
    // SAFETY: setpriority reads no memory of ours; `who = 0` with PRIO_PROCESS is the calling
    // thread on Linux.
    unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, nice) == 0 }
}

#[cfg(target_os = "linux")]
fn current() -> Option<i32> {
    // getpriority may return -1 as a nice value, so only errno tells a failure apart.
    // SAFETY: errno is the calling thread's own; getpriority reads no memory of ours.
    unsafe {
        *libc::__errno_location() = 0;
        let nice = libc::getpriority(libc::PRIO_PROCESS, 0);
        (*libc::__errno_location() == 0).then_some(nice)
    }
}

#[cfg(not(target_os = "linux"))]
fn set(_nice: i32) -> bool {
    false
}

#[cfg(not(target_os = "linux"))]
fn current() -> Option<i32> {
    None
}

/// The calling thread's nice value as Linux reports it, for tests.
#[cfg(all(test, target_os = "linux"))]
pub(crate) fn own_nice() -> i32 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("proc is mounted");
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    fields[16].parse().expect("nice is a number")
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::own_nice;

    #[test]
    fn a_thread_already_that_high_is_left_where_it_is() {
        let now = own_nice();
        let after = std::thread::spawn(move || {
            assert!(super::raise(now + 3), "already at least that high");
            own_nice()
        })
        .join()
        .unwrap();
        assert_eq!(after, now, "not lowered by a request to raise");
    }
}
