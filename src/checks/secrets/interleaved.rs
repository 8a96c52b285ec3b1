//! Every occurrence of every keyword (overlapping ones included), found by stepping one DFA over
//! four parts of the input at once. A DFA search waits on each transition's load before the
//! next; four independent searches fill those waits, about twice as fast as one (measured on a
//! 460 MB tree of sources). Each part is entered a longest keyword early, so a keyword across a
//! boundary is found, and reported only by the part its end lies in: each occurrence once.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};

/// How many parts are searched side by side: 4 was the fastest of 2, 3, 4, 6 and 8.
const PARTS: usize = 4;

/// The DFA for [`every_match`]: ASCII-case-insensitive, Standard semantics (every match).
/// `None` if it cannot be built, or for an empty keyword (which the caller handles).
pub fn automaton(words: &[String]) -> Option<DFA> {
    if words.iter().any(|w| w.is_empty()) {
        return None;
    }
    DFA::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        // A prefilter only serves the library's own search loop; here it would mark the start
        // state special and send every return to it down the slow branch.
        .prefilter(false)
        .build(words)
        .ok()
}

/// `(keyword, start, end)` of every occurrence in `hay`, in no particular order: the set an
/// overlapping search reports.
pub fn every_match(dfa: &DFA, hay: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let Ok(start) = dfa.start_state(Anchored::No) else {
        return out;
    };
    // Entering a part this many bytes early finds every keyword that ends in it.
    let back = dfa.max_pattern_len().saturating_sub(1);
    let len = hay.len() / PARTS;
    if len <= back + 64 {
        search(dfa, hay, start, 0..hay.len(), 0, &mut out);
        return out;
    }
    // Part j reports the keywords that end in (ends[j], ends[j + 1]]; its first `len` bytes
    // are read side by side with the others', the rest alone.
    let ends: [usize; PARTS + 1] =
        std::array::from_fn(|j| if j == PARTS { hay.len() } else { j * len });
    let from: [usize; PARTS] = std::array::from_fn(|j| ends[j].saturating_sub(back));
    let parts: [&[u8]; PARTS] = std::array::from_fn(|j| &hay[from[j]..from[j] + len]);
    let mut sid = [start; PARTS];
    #[allow(clippy::needless_range_loop)] // one index into the four parts
    for i in 0..len {
        for j in 0..PARTS {
            sid[j] = dfa.next_state(Anchored::No, sid[j], parts[j][i]);
        }
        // `|`, not `||`: one branch for the four, taken only near a keyword.
        if sid.iter().fold(false, |any, &s| any | dfa.is_special(s)) {
            for j in 0..PARTS {
                let end = from[j] + i + 1;
                if end > ends[j] {
                    report(dfa, sid[j], end, &mut out);
                }
            }
        }
    }
    for j in 0..PARTS {
        search(
            dfa,
            hay,
            sid[j],
            from[j] + len..ends[j + 1],
            ends[j],
            &mut out,
        );
    }
    out
}

/// One search over `range` from state `sid`, reporting keywords that end after `after`.
fn search(
    dfa: &DFA,
    hay: &[u8],
    mut sid: StateID,
    range: std::ops::Range<usize>,
    after: usize,
    out: &mut Vec<(usize, usize, usize)>,
) {
    for at in range {
        sid = dfa.next_state(Anchored::No, sid, hay[at]);
        if dfa.is_special(sid) && at >= after {
            report(dfa, sid, at + 1, out);
        }
    }
}

/// The keywords that end at `end` in state `sid`, if it is a match state.
#[inline(always)]
fn report(dfa: &DFA, sid: StateID, end: usize, out: &mut Vec<(usize, usize, usize)>) {
    if !dfa.is_match(sid) {
        return;
    }
    for i in 0..dfa.match_len(sid) {
        let p = dfa.match_pattern(sid, i);
        out.push((p.as_usize(), end - dfa.pattern_len(p), end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, AhoCorasickKind};

    /// Sorted, as the library's overlapping search finds them.
    fn reference(words: &[&str], hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(words)
            .expect("automaton");
        let mut v: Vec<_> = ac
            .find_overlapping_iter(hay)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn finds_what_the_overlapping_search_finds_across_part_boundaries() {
        let words = [
            "sk", "task", "ask", "key", "apikey", "api_key", "xoxb-", "b-", "secret",
        ];
        let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let dfa = automaton(&owned).expect("dfa");
        let pieces: [&[u8]; 8] = [
            b"Task ", b"APIKEY=", b"xoxB-1 ", b"\n", b"a", b"api_key", b"SeCrEt", b"ks",
        ];
        // Lengths below and above the four-part threshold, each shifted so that keywords
        // straddle every boundary somewhere.
        for len in [0usize, 1, 7, 100, 400, 401, 999, 4096] {
            for shift in 0..8 {
                let hay: Vec<u8> = (0..)
                    .flat_map(|i: usize| pieces[(i * 5 + shift) % 8].iter().copied())
                    .take(len)
                    .collect();
                let mut got = every_match(&dfa, &hay);
                got.sort_unstable();
                assert_eq!(got, reference(&words, &hay), "len {len} shift {shift}");
            }
        }
    }

    #[test]
    fn an_empty_keyword_is_left_to_the_caller() {
        assert!(automaton(&["a".to_owned(), String::new()]).is_none());
    }
}
