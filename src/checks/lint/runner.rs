//! Runs linter processes in parallel (bounded), each in its own process group with stdout and
//! stderr captured together, with per-run time limits and a clean stop on SIGINT/SIGTERM.
//! Runs in a chain run one after the other (fixers that touch the same files); chains run in
//! parallel. Results arrive in completion order through `on_done`, so output can be printed per
//! linter as soon as it is complete, never interleaved.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ffi::OsString;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::command::find_program;
use super::start;
use crate::signals;

pub struct Job {
    pub linter: usize,
    pub argv: Vec<OsString>,
    pub cwd: PathBuf,
    pub timeout: Option<Duration>,
    pub files: usize,
    pub path_env: Option<OsString>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Exit(i32),
    /// Killed by a signal it did not ask for (a crash, `kill -9`).
    Signal(i32),
    TimedOut,
    /// The program does not exist.
    NotFound,
    /// It exists but could not be started: why, for the user.
    SpawnError(String),
    /// Stopped because git-hygiene itself got a signal.
    Stopped,
}

pub struct Done {
    pub job: usize,
    pub outcome: Outcome,
    pub output: Vec<u8>,
    pub elapsed: Duration,
}

struct Running {
    pid: i32,
    deadline: Option<Instant>,
    chain: usize,
}

/// Grace given to linters between SIGTERM and SIGKILL when we are interrupted.
const GRACE: Duration = Duration::from_secs(2);
/// How often to look at the signal flag while linters run.
const POLL: Duration = Duration::from_millis(20);

/// Runs every chain; returns the results and the signal that interrupted the run, if any.
pub fn run(
    jobs: &[Job],
    chains: &[Vec<usize>],
    max: usize,
    mut on_done: impl FnMut(&Done),
) -> (Vec<Done>, Option<i32>) {
    let (tx, rx) = mpsc::channel::<Done>();
    let mut next = vec![0usize; chains.len()];
    let mut ready: VecDeque<usize> = (0..chains.len())
        .filter(|&c| !chains[c].is_empty())
        .collect();
    let mut live = Live {
        running: HashMap::new(),
        rx,
    };
    let Live { running, rx } = &mut live;
    let mut timed_out: HashSet<usize> = HashSet::new();
    let mut results = Vec::with_capacity(jobs.len());
    let mut stopping: Option<(i32, Instant)> = None;
    let max = max.max(1);
    loop {
        if stopping.is_none() {
            if let Some(sig) = signals::received() {
                for r in running.values() {
                    kill_group(r.pid, Sig::Term);
                }
                stopping = Some((sig, Instant::now()));
                ready.clear();
            }
        }
        while stopping.is_none() && running.len() < max {
            let Some(c) = ready.pop_front() else { break };
            let j = chains[c][next[c]];
            match spawn(j, &jobs[j], tx.clone()) {
                Ok(pid) => {
                    running.insert(
                        j,
                        Running {
                            pid,
                            deadline: jobs[j].timeout.map(|t| Instant::now() + t),
                            chain: c,
                        },
                    );
                }
                Err(outcome) => {
                    let d = Done {
                        job: j,
                        outcome,
                        output: Vec::new(),
                        elapsed: Duration::ZERO,
                    };
                    on_done(&d);
                    results.push(d);
                    next[c] += 1;
                    if next[c] < chains[c].len() {
                        ready.push_front(c);
                    }
                }
            }
        }
        if running.is_empty() {
            break;
        }
        let now = Instant::now();
        let mut wait = POLL;
        for r in running.values() {
            if let Some(d) = r.deadline {
                wait = wait.min(d.saturating_duration_since(now));
            }
        }
        match rx.recv_timeout(wait) {
            Ok(mut d) => {
                let Some(r) = running.remove(&d.job) else {
                    continue;
                };
                if stopping.is_some() {
                    d.outcome = Outcome::Stopped;
                } else if timed_out.contains(&d.job) {
                    d.outcome = Outcome::TimedOut;
                }
                on_done(&d);
                results.push(d);
                let c = r.chain;
                next[c] += 1;
                if stopping.is_none() && next[c] < chains[c].len() {
                    ready.push_front(c);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                for (j, r) in running.iter() {
                    if r.deadline.is_some_and(|d| d <= now) && timed_out.insert(*j) {
                        kill_group(r.pid, Sig::Kill);
                    }
                }
                if let Some((_, since)) = stopping {
                    if now > since + GRACE {
                        for r in running.values() {
                            kill_group(r.pid, Sig::Kill);
                        }
                    }
                    if now > since + GRACE * 2 {
                        // Something outside the process groups holds a pipe open: give up
                        // waiting, the work tree matters more.
                        break;
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    (results, stopping.map(|(s, _)| s))
}

/// The linters still running. `run` returns only when none is (or all were killed); if it
/// unwinds instead (a panic while handling a result), they are killed and waited for here, so
/// none writes to a file after the work-tree protection has put the user's version back.
struct Live {
    running: HashMap<usize, Running>,
    rx: mpsc::Receiver<Done>,
}

impl Drop for Live {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        for r in self.running.values() {
            kill_group(r.pid, Sig::Kill);
        }
        let deadline = Instant::now() + GRACE;
        while !self.running.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(d) => {
                    self.running.remove(&d.job);
                }
                Err(_) => break,
            }
        }
    }
}

enum Sig {
    Term,
    Kill,
}

#[cfg(unix)]
fn kill_group(pid: i32, sig: Sig) {
    let s = match sig {
        Sig::Term => libc::SIGTERM,
        Sig::Kill => libc::SIGKILL,
    };
    // SAFETY: plain kill(2) on the process group we created for this child.
    unsafe {
        libc::kill(-pid, s);
    }
}

#[cfg(not(unix))]
fn kill_group(_pid: i32, _sig: Sig) {}

/// Starts a job; a reader thread collects its output and reports when it has exited.
fn spawn(j: usize, job: &Job, tx: mpsc::Sender<Done>) -> Result<i32, Outcome> {
    let Some(program) = job.argv.first() else {
        return Err(Outcome::SpawnError("empty command".into()));
    };
    let (reader, writer) = pipe().map_err(|e| Outcome::SpawnError(e.to_string()))?;
    let writer2 = writer
        .try_clone()
        .map_err(|e| Outcome::SpawnError(e.to_string()))?;
    let mut cmd = Command::new(program);
    cmd.args(&job.argv[1..])
        .current_dir(&job.cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::from(writer2));
    if let Some(p) = &job.path_env {
        cmd.env("PATH", p);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Own process group: a timeout or Ctrl-C stops the linter and everything it started,
        // and a linter that signals its group cannot hit us.
        cmd.process_group(0);
    }
    die_with_us(&mut cmd);
    let started = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            let program = program.to_string_lossy();
            let path_var = job.path_env.clone().or_else(|| std::env::var_os("PATH"));
            let file = find_program(&program, &job.cwd, path_var.as_deref().unwrap_or_default());
            return Err(
                match start::spawn_failure(&program, file.as_deref(), &job.cwd, &e) {
                    None => Outcome::NotFound,
                    Some(why) => Outcome::SpawnError(why),
                },
            );
        }
    };
    drop(cmd); // closes our copies of the pipe's write end
    let pid = child.id() as i32;
    std::thread::spawn(move || {
        let mut output = Vec::new();
        let mut reader = reader;
        let _ = reader.read_to_end(&mut output);
        let outcome = match child.wait() {
            Ok(st) => status_outcome(st),
            Err(e) => Outcome::SpawnError(e.to_string()),
        };
        let _ = tx.send(Done {
            job: j,
            outcome,
            output,
            elapsed: started.elapsed(),
        });
    });
    Ok(pid)
}

/// Makes the kernel kill the child if git-hygiene is SIGKILLed (Linux), so no orphan keeps
/// writing to the work tree or a journal while the next run restores.
pub(crate) fn die_with_us(cmd: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl is async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
    let _ = cmd;
}

fn status_outcome(st: std::process::ExitStatus) -> Outcome {
    if let Some(c) = st.code() {
        return Outcome::Exit(c);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(s) = st.signal() {
            return Outcome::Signal(s);
        }
    }
    Outcome::Exit(1)
}

#[cfg(unix)]
fn pipe() -> std::io::Result<(std::fs::File, std::fs::File)> {
    use std::os::fd::FromRawFd;
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: pipe2 fills two fresh descriptors that we then own.
    let r = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: the descriptors were just created and are owned by nobody else.
    unsafe {
        Ok((
            std::fs::File::from_raw_fd(fds[0]),
            std::fs::File::from_raw_fd(fds[1]),
        ))
    }
}
