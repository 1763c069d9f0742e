package chstore

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ClickHouse/ch-go/proto"
)

// On the embedded engine an INSERT's columns are encoded here, straight
// from the Go slices of columns into one Native block (ch-go's columnar
// types), and handed to the engine without clickhouse-go's batch: that
// batch appends a LowCardinality column value by value through an
// interface and a map[any]int (≈ 0.5 s per million incident rows in a
// profile, and garbage), and copies the body once more through a pipe.
// The block is the same one the driver sends (protocol revision 0: no
// block info, no custom serialization flags). The server engine keeps the
// driver's batch: writes may differ per engine behind one Writer method.

// nativeRevision is the protocol revision of the embedded engine's Native
// format (chdbhttp's hello reports 0).
const nativeRevision = 0

// tableColumns returns the table's column types by name: what the
// driver's batch reads with DESCRIBE TABLE before every INSERT.
func (s *Store) tableColumns(ctx context.Context, table string) (map[string]string, error) {
	qctx, cancel := s.qctx(withParams(ctx, "table", table))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("insert_columns"))
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	types := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		types[name] = typ
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	return types, nil
}

// encodeNative appends c as one Native block to buf, each column encoded
// as the table's type (types) says. ok is false when a column's type or
// Go slice is not one this encoder knows: the caller then uses the driver.
func encodeNative(buf *proto.Buffer, c *columns, types map[string]string) (ok bool, err error) {
	input := make(proto.Input, len(c.names))
	rows := -1
	for i, name := range c.names {
		typ, found := types[name]
		if !found {
			return false, fmt.Errorf("no column %s", name)
		}
		col := nativeColumn(typ, c.data[i])
		if col == nil {
			return false, nil
		}
		if rows >= 0 && col.Rows() != rows {
			return false, fmt.Errorf("column %s has %d rows, expected %d", name, col.Rows(), rows)
		}
		rows = col.Rows()
		input[i] = proto.InputColumn{Name: name, Data: col}
	}
	if rows < 0 {
		return false, nil
	}
	b := proto.Block{Columns: len(input), Rows: rows}
	if err := b.EncodeRawBlock(buf, nativeRevision, input); err != nil {
		return false, fmt.Errorf("encode block: %w", err)
	}
	return true, nil
}

// nativeColumn is v (a slice made by the columns helpers in write.go and
// reference.go) as a ch-go column of type typ, or nil when the pair is not
// covered. Fixed-width slices are used as they are, without a copy.
func nativeColumn(typ string, v any) proto.ColInput {
	switch typ {
	case "String":
		if x, ok := v.([]string); ok {
			return strCol(x)
		}
	case "LowCardinality(String)":
		if x, ok := v.([]string); ok {
			lc := proto.NewLowCardinality[string](new(proto.ColStr))
			lc.Values = x
			return lc
		}
	case "UInt8":
		if x, ok := v.([]uint8); ok {
			return (*proto.ColUInt8)(&x)
		}
	case "UInt16":
		if x, ok := v.([]uint16); ok {
			return (*proto.ColUInt16)(&x)
		}
	case "UInt32":
		if x, ok := v.([]uint32); ok {
			return (*proto.ColUInt32)(&x)
		}
	case "UInt64":
		if x, ok := v.([]uint64); ok {
			return (*proto.ColUInt64)(&x)
		}
	case "Float32":
		if x, ok := v.([]float32); ok {
			return (*proto.ColFloat32)(&x)
		}
	case "Float64":
		if x, ok := v.([]float64); ok {
			return (*proto.ColFloat64)(&x)
		}
	case "Date":
		if x, ok := v.([]time.Time); ok {
			d := make(proto.ColDate, len(x))
			for i, t := range x {
				d[i] = proto.ToDate(t)
			}
			return &d
		}
	case "Nullable(Date)":
		if x, ok := v.([]*time.Time); ok {
			d := make(proto.ColDate, len(x))
			nulls := make(proto.ColUInt8, len(x))
			for i, t := range x {
				if t == nil {
					nulls[i] = 1 // the value under a NULL: the zero Date, as the driver writes it
					continue
				}
				d[i] = proto.ToDate(*t)
			}
			return &proto.ColNullable[time.Time]{Nulls: nulls, Values: &d}
		}
	case "Nullable(Float64)":
		if x, ok := v.([]*float64); ok {
			vals, nulls := deref(x)
			c := proto.ColFloat64(vals)
			return &proto.ColNullable[float64]{Nulls: nulls, Values: &c}
		}
	case "Nullable(UInt64)":
		if x, ok := v.([]*uint64); ok {
			vals, nulls := deref(x)
			c := proto.ColUInt64(vals)
			return &proto.ColNullable[uint64]{Nulls: nulls, Values: &c}
		}
	case "Nullable(UInt32)":
		if x, ok := v.([]*uint32); ok {
			vals, nulls := deref(x)
			c := proto.ColUInt32(vals)
			return &proto.ColNullable[uint32]{Nulls: nulls, Values: &c}
		}
	}
	return nil
}

// deref splits x into values and a NULL mask; the value under a NULL is
// the zero value, as the driver writes it.
func deref[T any](x []*T) ([]T, proto.ColUInt8) {
	vals := make([]T, len(x))
	nulls := make(proto.ColUInt8, len(x))
	for i, p := range x {
		if p == nil {
			nulls[i] = 1
			continue
		}
		vals[i] = *p
	}
	return vals, nulls
}

// strCol is a String column encoded straight from the Go strings (ch-go's
// ColStr copies them into one buffer first).
type strCol []string

func (strCol) Type() proto.ColumnType { return proto.ColumnTypeString }
func (c strCol) Rows() int            { return len(c) }

func (c strCol) EncodeColumn(b *proto.Buffer) {
	for _, s := range c {
		b.PutString(s)
	}
}

func (c strCol) WriteColumn(w *proto.Writer) { w.ChainBuffer(c.EncodeColumn) }

// insertNative writes c through the embedded engine's transport. ok is
// false when c has a column the encoder does not cover (nothing written).
func (s *Store) insertNative(ctx context.Context, table string, settings [][2]string, c *columns) (ok bool, err error) {
	types, err := s.tableColumns(ctx, table)
	if err != nil {
		return false, err
	}
	// Blocks are tens of megabytes: a buffer is reused from one INSERT to
	// the next instead of growing a new one each time (page faults, GC).
	buf, _ := nativeBufs.Get().(*proto.Buffer)
	if buf == nil {
		buf = new(proto.Buffer)
	}
	buf.Reset()
	if ok, err := encodeNative(buf, c, types); !ok || err != nil {
		nativeBufs.Put(buf)
		return false, err
	}
	ctx, cancel := s.qctx(ctx)
	defer cancel()
	done, err := s.inserter.Insert(ctx, s.database, "INSERT INTO "+table+" ("+strings.Join(c.names, ", ")+")", settings, buf.Buf)
	if ctx.Err() == nil {
		<-done // the engine has finished with the buffer
		nativeBufs.Put(buf)
	}
	return true, err
}

var nativeBufs sync.Pool // of *proto.Buffer
