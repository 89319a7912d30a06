//! A map kept as a vector sorted by key, for the sharded index's bookkeeping.
//!
//! Why not `BTreeMap`: its node code (insert, remove with its merges and
//! steals, iteration) was about 10 KB of the sharded module, once per key and
//! value types (twiggy, 2026-12-06), for maps that hold one entry per block
//! or term's postings fetched so far: a few thousand at most, where shifting
//! a vector on insert costs less than the search that asked for it.

#[derive(Debug, PartialEq)]
pub(crate) struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K: Ord + Copy, V> SortedMap<K, V> {
    pub(crate) const fn new() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn find(&self, key: &K) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub(crate) fn contains_key(&self, key: &K) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key`'s value, replacing any it had.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        match self.find(&key) {
            Ok(i) => self.entries[i].1 = value,
            Err(i) => self.entries.insert(i, (key, value)),
        }
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// Every entry, in key order, leaving the map empty.
    pub(crate) fn take(&mut self) -> Vec<(K, V)> {
        std::mem::take(&mut self.entries)
    }
}

#[cfg(test)]
mod tests {
    use super::SortedMap;

    #[test]
    fn keeps_keys_sorted_and_unique() {
        let mut map = SortedMap::new();
        for (key, value) in [((2, 1), 'a'), ((0, 5), 'b'), ((2, 0), 'c'), ((0, 5), 'd')] {
            map.insert(key, value);
        }
        assert_eq!(map.get(&(0, 5)), Some(&'d'));
        assert!(map.contains_key(&(2, 0)));
        assert!(!map.contains_key(&(1, 0)));
        assert_eq!(map.remove(&(2, 0)), Some('c'));
        assert_eq!(map.remove(&(2, 0)), None);
        assert_eq!(map.take(), vec![((0, 5), 'd'), ((2, 1), 'a')]);
        assert_eq!(map.get(&(0, 5)), None);
    }
}
