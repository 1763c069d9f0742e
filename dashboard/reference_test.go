package dashboard_test

import (
	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/commune"
)

func referenceFromSet(set *commune.Set, provinces ...analytics.ProvinceCode) chstore.Reference {
	return chstore.ReferenceFromSet(set, provinces...)
}
