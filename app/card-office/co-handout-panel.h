/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-client.h"
#include "co-store.h"

G_BEGIN_DECLS

typedef enum
{
  CO_HANDOUT_NONE,         /* nothing to hand out (the reason is shown) */
  CO_HANDOUT_NEW_CARD,     /* 新制卡, 未发卡 */
  CO_HANDOUT_REISSUE,      /* 补卡 待领取, 配送到校 */
  CO_HANDOUT_DONE,         /* handed out just now */
} CoHandoutState;

typedef enum
{
  CO_STICKER_UNCHECKED,
  CO_STICKER_MATCH,
  CO_STICKER_MISMATCH,
  CO_STICKER_BAD_INPUT,
} CoStickerCheck;

#define CO_TYPE_HANDOUT_PANEL (co_handout_panel_get_type ())
G_DECLARE_FINAL_TYPE (CoHandoutPanel, co_handout_panel, CO, HANDOUT_PANEL, GtkWidget)

void            co_handout_panel_set_store        (CoHandoutPanel *self,
                                                   CoStore        *store);
/* Who hands out (co_client_hand_out_async ()); NULL: offline. */
void            co_handout_panel_set_client       (CoHandoutPanel *self,
                                                   CoClient       *client);
/* The student whose card is at the desk (from the snapshot). */
void            co_handout_panel_show_student     (CoHandoutPanel *self,
                                                   CoStudent      *student);
CoHandoutState  co_handout_panel_get_state        (CoHandoutPanel *self);
/* Whether a hand-out request runs. */
gboolean        co_handout_panel_get_busy         (CoHandoutPanel *self);
/* The 一卡通号 the sticker must carry, or NULL. */
const char     *co_handout_panel_get_card_no      (CoHandoutPanel *self);
/* A scanned sticker QR code or a typed number, against the card. */
CoStickerCheck  co_handout_panel_check_sticker    (CoHandoutPanel *self,
                                                   const char     *text);
CoStickerCheck  co_handout_panel_get_sticker_check (CoHandoutPanel *self);

G_END_DECLS
