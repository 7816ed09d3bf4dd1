//! Process groups of CLI implementations.
//!
//! Real adapters are wrappers: a shell or Python script in front of a Node or Java SDK. Killing
//! the wrapper alone leaves the SDK process running (and, for an SDK that never returns, spinning
//! for ever). So each program qrcert starts leads a process group of its own, and qrcert kills
//! the whole group: on a timeout, on a restart, at the end of the run, and on Ctrl-C
//! ([`kill_all`]). Every live group is registered here for that last case.
//!
//! A program that starts its children in a session or group of their own escapes this; nothing
//! short of a container catches those, and the protocol documentation says so.

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

/// The groups started and not yet killed, by group id (the leader's pid).
static LIVE: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

/// Makes the command start a new process group led by the child.
pub(crate) fn isolate(cmd: &mut tokio::process::Command) {
    #[cfg(unix)]
    {
        cmd.process_group(0);
    }
    #[cfg(not(unix))]
    {
        let _ = cmd;
    }
}

/// Records a started child's group.
pub(crate) fn register(pid: Option<u32>) {
    if let Some(pid) = pid {
        LIVE.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(pid);
    }
}

/// Kills every process of the group led by `pid` (SIGKILL) and forgets it. A group that is
/// already empty is not an error.
pub(crate) fn kill(pid: Option<u32>) {
    let Some(pid) = pid else { return };
    signal_group(pid);
    LIVE.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&pid);
}

/// Kills every group still registered: for Ctrl-C and termination signals, when the run cannot
/// close its adapters in order. Returns how many groups were signalled.
pub fn kill_all() -> usize {
    let groups: Vec<u32> =
        std::mem::take(&mut *LIVE.lock().unwrap_or_else(PoisonError::into_inner))
            .into_iter()
            .collect();
    for &pid in &groups {
        signal_group(pid);
    }
    groups.len()
}

#[cfg(unix)]
fn signal_group(pid: u32) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    let Ok(pid) = i32::try_from(pid) else { return };
    // ESRCH (the group is gone) is the usual outcome once every member has exited.
    let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
}

#[cfg(not(unix))]
fn signal_group(_pid: u32) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn killing_the_group_kills_the_grandchildren() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("grandchild.pid");
        let mut cmd = tokio::process::Command::new("sh");
        cmd.arg("-c")
            .arg(format!("sleep 300 & echo $! > {}; wait", pidfile.display()));
        isolate(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        register(child.id());
        let grandchild = loop {
            if let Ok(text) = std::fs::read_to_string(&pidfile)
                && let Ok(pid) = text.trim().parse::<u32>()
            {
                break pid;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        };
        assert!(std::path::Path::new(&format!("/proc/{grandchild}")).exists());
        kill(child.id());
        let _ = child.wait().await;
        // The grandchild was reparented to init, which reaps it; give it a moment.
        for _ in 0..200 {
            if !alive(grandchild) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(
            !alive(grandchild),
            "the grandchild {grandchild} outlived its group"
        );
    }

    fn alive(pid: u32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| !s.contains(") Z "))
            .unwrap_or(false)
    }
}
