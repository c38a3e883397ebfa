/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The domain model: states, rules, the working-day calendar and the model
 * objects. Include this one header.
 */
#pragma once

#include "co-types.h"
#include "co-enum-types.h"
#include "co-calendar.h"
#include "co-rules.h"
#include "co-card.h"
#include "co-student.h"
#include "co-reissue.h"
#include "co-new-card-request.h"
#include "co-sticker-request.h"
