//! Scheduling priority of the calling thread. A sync has one serial stage, SQLite's writer,
//! and several stages that run in parallel around it (fetching, mapping). Left at equal
//! priority on a machine with few cores, the writer waits in the run queue behind mapping
//! threads while they fill a queue that only the writer can empty: on two cores it spent
//! about a fifth of a sync waiting for a core. So the writer asks to go first and mapping
//! threads step back.
//!
//! Only Linux gives each thread a nice value of its own; elsewhere `setpriority` would change
//! the whole process, so these calls do nothing there.

/// Raises the calling thread's priority to `nice` (negative: higher) unless it already runs at
/// least that high. Needs CAP_SYS_NICE or an RLIMIT_NICE that allows it; returns whether the
/// thread now runs at `nice` or higher.
pub fn raise(nice: i32) -> bool {
    current().is_some_and(|now| now <= nice) || set(nice)
}

/// Lowers the calling thread's priority to `nice` (positive: lower) unless it already runs at
/// that or lower. Any thread may do this, but cannot undo it, so it is for threads that do
/// nothing else.
pub fn lower(nice: i32) {
    if current().is_some_and(|now| now >= nice) {
        return;
    }
    if !set(nice) {
        tracing::debug!(nice, "could not lower the thread's priority");
    }
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
    fn a_thread_is_never_moved_the_wrong_way() {
        // A test run may itself be niced; the thread starts where the process is.
        let target = own_nice().max(12);
        let (raised, lowered) = std::thread::spawn(move || {
            super::lower(target);
            // Asking for less than it has changes neither way.
            super::lower(target - 5);
            let lowered = own_nice();
            assert!(super::raise(target + 3), "already at least that high");
            (own_nice(), lowered)
        })
        .join()
        .unwrap();
        assert_eq!((raised, lowered), (target, target));
    }

    #[test]
    fn a_lowered_thread_is_lowered_and_others_are_not() {
        let before = own_nice();
        let target = before.max(7);
        let lowered = std::thread::spawn(move || {
            super::lower(target);
            own_nice()
        })
        .join()
        .unwrap();
        assert_eq!(lowered, target);
        assert_eq!(own_nice(), before, "only the calling thread changes");
    }
}
