/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The words the desk shows for the core's states and refusals. The core
 * has no user-facing strings (DESIGN.md); these are translated here.
 */
#pragma once

#include <glib.h>

#include "co-types.h"

G_BEGIN_DECLS

const char *co_reason_to_text          (CoReason        reason);
const char *co_card_status_to_text     (CoCardStatus    status);
const char *co_reissue_status_to_text  (CoReissueStatus status);
const char *co_delivery_to_text        (CoDelivery      delivery);
const char *co_stage_to_text           (CoStage         stage);

G_END_DECLS
