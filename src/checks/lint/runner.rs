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
use crate::platform::{self, Stopper};
use crate::signals;

pub struct Job {
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
    stop: Stopper,
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
                    r.stop.terminate();
                }
                stopping = Some((sig, Instant::now()));
                ready.clear();
            }
        }
        while stopping.is_none() && running.len() < max {
            let Some(c) = ready.pop_front() else { break };
            let j = chains[c][next[c]];
            match spawn(j, &jobs[j], tx.clone()) {
                Ok(stop) => {
                    running.insert(
                        j,
                        Running {
                            stop,
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
                        r.stop.kill();
                    }
                }
                if let Some((_, since)) = stopping {
                    if now > since + GRACE {
                        for r in running.values() {
                            r.stop.kill();
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
            r.stop.kill();
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

/// Starts a job; a reader thread collects its output and reports when it has exited.
fn spawn(j: usize, job: &Job, tx: mpsc::Sender<Done>) -> Result<Stopper, Outcome> {
    let Some(program) = job.argv.first() else {
        return Err(Outcome::SpawnError("empty command".into()));
    };
    let (reader, writer) = platform::pipe().map_err(|e| Outcome::SpawnError(e.to_string()))?;
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
    platform::die_with_us(&mut cmd);
    let started = Instant::now();
    // Own process group on unix: see `platform::spawn`.
    let child = match platform::spawn(&mut cmd) {
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
    let stop = child.stopper();
    let (out_tx, out_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut output = Vec::new();
        let mut reader = reader;
        let _ = reader.read_to_end(&mut output);
        let _ = out_tx.send(output);
    });
    std::thread::spawn(move || {
        let outcome = match child.wait() {
            Ok(st) => status_outcome(st),
            Err(e) => Outcome::SpawnError(e.to_string()),
        };
        // Where a stop reaches only the linter itself, what it started may hold the pipe open.
        let output = match platform::OUTPUT_AFTER_EXIT {
            None => out_rx.recv(),
            Some(grace) => out_rx.recv_timeout(grace).map_err(|_| mpsc::RecvError),
        }
        .unwrap_or_default();
        let _ = tx.send(Done {
            job: j,
            outcome,
            output,
            elapsed: started.elapsed(),
        });
    });
    Ok(stop)
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
