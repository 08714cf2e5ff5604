// The ANTLR runtime and the generated WacParser, included with their
// warnings silenced (third-party and generated code). Private to the WAC
// front end.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wattributes"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#include "antlr4-runtime.h"
#include "WacParser.h"
#pragma GCC diagnostic pop
