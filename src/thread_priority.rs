//! Scheduling priority of the calling thread. A sync has one serial stage, SQLite's writer,
//! and several stages that run in parallel around it (fetching, mapping). Left at equal
//! priority on a machine with few cores, the writer waits in the run queue behind mapping
//! threads while they fill a queue that only the writer can empty: on two cores it spent
//! about a fifth of a sync waiting for a core. So the writer asks to go first and mapping
//! threads step back.
//!
//! Only Linux gives each thread a nice value of its own; elsewhere `setpriority` would change
//! the whole process, so these calls do nothing there.

/// Raises the calling thread's priority to `nice` (negative: higher). Needs CAP_SYS_NICE or an
/// RLIMIT_NICE that allows it; returns whether the change was made.
pub fn raise(nice: i32) -> bool {
    set(nice)
}

/// Lowers the calling thread's priority to `nice` (positive: lower). Any thread may do this,
/// but cannot undo it, so it is for threads that do nothing else.
pub fn lower(nice: i32) {
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

#[cfg(not(target_os = "linux"))]
fn set(_nice: i32) -> bool {
    false
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
    fn a_lowered_thread_is_lowered_and_others_are_not() {
        let before = own_nice();
        let lowered = std::thread::spawn(|| {
            super::lower(7);
            own_nice()
        })
        .join()
        .unwrap();
        assert_eq!(lowered, 7);
        assert_eq!(own_nice(), before, "only the calling thread changes");
    }
}
