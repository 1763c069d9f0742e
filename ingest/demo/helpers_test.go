package demo_test

import (
	"strconv"
	"time"
)

func itoa(i int) string { return strconv.Itoa(i) }

func mustDay(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}
