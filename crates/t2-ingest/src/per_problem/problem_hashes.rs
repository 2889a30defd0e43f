//! What the duplicate-problem check keeps of each row: an 8-byte hash of its problem id, per checkpoint. A
//! checkpoint's hashes are sorted as each batch is read (on the batch's thread) and merged when a later batch
//! does not add to it ("closed"): two equal hashes are a suspected duplicate, confirmed or cleared by reading the
//! ids again. A closed checkpoint with the same problems as the one closed before it shares that one's hashes,
//! so a file sorted by checkpoint (the usual layout) keeps one set of hashes, not one per row; a file whose
//! checkpoints are interleaved, or come back after others, keeps those rows' hashes until the end.

use std::sync::Arc;

/// One checkpoint's problem-id hashes.
#[derive(Default)]
pub(crate) struct ProblemHashes {
    /// The hashes of the rows up to the last close, sorted (shared with the checkpoints closed with the same).
    closed: Arc<Vec<u64>>,
    /// The hashes added since, one sorted run per batch.
    open: Vec<u64>,
}

/// What closing checkpoints finds: equal hashes within one checkpoint (its index, the hash), and the last set
/// closed, for the next checkpoint to share.
#[derive(Default)]
pub(crate) struct Closing {
    pub suspects: Vec<(usize, u64)>,
    last: Arc<Vec<u64>>,
}

impl ProblemHashes {
    /// Adds a row's hash.
    pub fn push(&mut self, hash: u64) {
        self.open.push(hash);
    }

    /// Sorts the hashes the batch added (its run).
    pub fn sort_run(&mut self) {
        self.open.sort_unstable();
    }

    /// Adds a later batch's run (that batch's hashes of the same checkpoint).
    pub fn extend(&mut self, later: ProblemHashes) {
        self.open.extend(later.open);
    }

    /// Whether hashes were added since the last close.
    pub fn is_open(&self) -> bool {
        !self.open.is_empty()
    }

    /// Sorts the hashes added so far into the closed set, recording checkpoint `c`'s equal hashes as suspects,
    /// and shares the result with the last set closed when they are the same. Only a checkpoint's first close
    /// does so: the rows of a checkpoint that comes back later stay open until [`ProblemHashes::finish`] (merging
    /// the whole set again at each return would cost the set's size each time).
    pub fn close(&mut self, c: usize, closing: &mut Closing) {
        if !self.closed.is_empty() {
            return;
        }
        let merged = self.merged(c, &mut closing.suspects);
        if merged == *closing.last {
            self.closed = Arc::clone(&closing.last);
        } else {
            self.closed = Arc::new(merged);
            closing.last = Arc::clone(&self.closed);
        }
    }

    /// The suspects among the hashes added since the last close (and between them and the closed ones); the
    /// hashes are dropped.
    pub fn finish(&mut self, c: usize) -> Vec<(usize, u64)> {
        let mut suspects = Vec::new();
        if self.is_open() {
            self.merged(c, &mut suspects);
        }
        self.closed = Arc::default();
        suspects
    }

    /// All the hashes, sorted, the equal ones recorded as checkpoint `c`'s suspects.
    fn merged(&mut self, c: usize, suspects: &mut Vec<(usize, u64)>) -> Vec<u64> {
        let mut all = std::mem::take(&mut self.open);
        all.extend_from_slice(&self.closed);
        // A stable sort merges the sorted runs it finds (a few per checkpoint in a file sorted by checkpoint).
        all.sort();
        suspects.extend(all.windows(2).filter(|w| w[0] == w[1]).map(|w| (c, w[0])));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(hashes: &[u64]) -> ProblemHashes {
        let mut run = ProblemHashes::default();
        hashes.iter().for_each(|&h| run.push(h));
        run.sort_run();
        run
    }

    #[test]
    fn equal_sets_are_shared_and_duplicates_found_across_closes() {
        let mut closing = Closing::default();
        let mut first = batch(&[3, 1, 2]);
        first.extend(batch(&[5, 4]));
        first.close(0, &mut closing);
        let mut second = batch(&[5, 4, 3]);
        second.extend(batch(&[2, 1]));
        second.close(1, &mut closing);
        assert!(
            Arc::ptr_eq(&first.closed, &second.closed),
            "same problems, one set"
        );
        assert_eq!(*second.closed, vec![1, 2, 3, 4, 5]);
        assert!(closing.suspects.is_empty());
        // A checkpoint that comes back later: its new rows stay open, then are compared with the closed ones.
        second.extend(batch(&[6, 2]));
        second.close(1, &mut closing);
        assert_eq!(second.open.len(), 2);
        assert_eq!(second.finish(1), vec![(1, 2)]);
        assert_eq!(
            *first.closed,
            vec![1, 2, 3, 4, 5],
            "the shared set is not changed"
        );
        let mut third = batch(&[7, 7]);
        third.close(2, &mut closing);
        assert_eq!(closing.suspects, vec![(2, 7)]);
        assert!(third.finish(2).is_empty(), "nothing added since the close");
    }
}
