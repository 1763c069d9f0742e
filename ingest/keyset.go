package ingest

// keySet holds the record keys a file has given so far, each by the 64-bit
// hash of the key, with the record's content hash and the row it was first
// met on: the in-file duplicates are told by it.
//
// Hand-written, because of a benchmark: nearly every key of a file is new,
// so each row first looks its key up and then adds it. In a Go map that is
// two probes, each missing the cache once the set is larger than it (the
// national file's 12.5 M keys took 7.9 s of CPU in the collector, pprof).
// Here one probe of an open-addressed table does both, and a slot holds
// all that is kept of a key. BenchmarkKeySet measures the two side by
// side. Slots are linearly probed; the table doubles past 3/4 full.
type keySet struct {
	slots []keySlot
	n     int
}

// keySlot is a key's hash (0: the slot is empty), its record's content
// hash and its first row.
type keySlot struct {
	key  uint64
	hash uint64
	row  int
}

// newKeySet returns a set sized for about hint keys.
func newKeySet(hint int) *keySet {
	size := 1024
	for size*3/4 < hint {
		size *= 2
	}
	return &keySet{slots: make([]keySlot, size)}
}

// add looks the key hash kh up. A key met before returns its slot and
// false; a new key is added, with its content hash and row, and returns
// true.
func (s *keySet) add(kh, hash uint64, row int) (first keySlot, added bool) {
	kh = slotKey(kh)
	sl := s.slot(kh)
	if sl.key == kh {
		return *sl, false
	}
	*sl = keySlot{key: kh, hash: hash, row: row}
	s.n++
	if s.n > len(s.slots)*3/4 {
		s.grow()
	}
	return keySlot{}, true
}

// get looks the key hash kh up without adding it.
func (s *keySet) get(kh uint64) (keySlot, bool) {
	kh = slotKey(kh)
	sl := s.slot(kh)
	return *sl, sl.key == kh
}

// slot returns the slot of the key hash kh: the one holding it, or the
// empty one where it goes.
func (s *keySet) slot(kh uint64) *keySlot {
	mask := uint64(len(s.slots) - 1)
	for i := kh & mask; ; i = (i + 1) & mask {
		if sl := &s.slots[i]; sl.key == kh || sl.key == 0 {
			return sl
		}
	}
}

// slotKey is kh as a slot holds it: 0 marks an empty slot, so a hash of 0
// shares 1's slot (a 2^-64 chance).
func slotKey(kh uint64) uint64 {
	return max(kh, 1)
}

func (s *keySet) grow() {
	old := s.slots
	s.slots = make([]keySlot, 2*len(old))
	for _, sl := range old {
		if sl.key != 0 {
			*s.slot(sl.key) = sl
		}
	}
}
