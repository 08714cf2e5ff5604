// The `leaf` world of wit-bindgen-runtime/resources in C++ (upstream has it
// only in other languages): it exports the resource `y` the middle component
// imports. The class itself is in cpp/exports-test-resources-Y.h, as the
// middle component's classes are in the corpus's cpp/ headers.
#include <leaf_cpp.h>
