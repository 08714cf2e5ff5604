// The early-return macros now live in witc/base/try.h (shared by every library).
#pragma once

#include "witc/base/try.h"
