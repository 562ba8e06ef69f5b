package ERRSPEC_PACKAGE_test

import "reflect"

// typeName is the name of an error's type without its package and pointer: RateLimitError.
func typeName(err error) string {
	t := reflect.TypeOf(err)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}
