// The ANTLR runtime and the generated WitParser, included with their
// warnings silenced (third-party and generated code). Private to the parser.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wattributes"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#include "antlr4-runtime.h"
#include "WitBaseVisitor.h"
#include "WitParser.h"
#pragma GCC diagnostic pop
