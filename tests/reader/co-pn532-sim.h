/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoPn532Sim: a PN532 NFC reader simulated on a pseudo-terminal, so tests go
 * through the real libnfc and its pn532_uart driver (see PN532-NOTES.md).
 *
 * A thread answers the PN532 serial frames on the master side of a pty; the
 * reader's device is a stable symlink to the slave side, so the connstring
 * ("pn532_uart:<link>") stays the same when the reader is unplugged (the
 * pty is closed and the link removed, as /dev/ttyUSB0 disappears) and
 * plugged back (a new pty behind the same link).
 *
 * The card in the field answers InListPassiveTarget (ISO 14443-A, 106 kbps),
 * InAutoPoll, InDataExchange (Ultralight READ/WRITE, Classic AUTH/READ/WRITE,
 * any APDU for a CPU card), InCommunicateThru and Diagnose 06. When no card
 * answers, a real chip needs ~52 ms to say so; set that with
 * co_pn532_sim_set_delay_ms().
 *
 * All functions may be called from any thread.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CO_PN532_SIM_CLASSIC_1K,  /* SAK 08 */
  CO_PN532_SIM_CLASSIC_4K,  /* SAK 18 */
  CO_PN532_SIM_MINI,        /* SAK 09 */
  CO_PN532_SIM_ULTRALIGHT,  /* SAK 00, ATQA 0044 */
  CO_PN532_SIM_CPU,         /* SAK 20: ISO 14443-4 */
  CO_PN532_SIM_OTHER,       /* SAK 00, ATQA 0004: a chip libnfc cannot ping */
} CoPn532SimCard;

typedef struct _CoPn532Sim CoPn532Sim;

/* The realistic delay of a chip reporting that no card answered. */
#define CO_PN532_SIM_REAL_DELAY_MS 52

gboolean     co_pn532_sim_card_from_string   (const char     *name,
                                              CoPn532SimCard *card);

CoPn532Sim  *co_pn532_sim_new                (const char     *link_path,
                                              GError        **error);
void         co_pn532_sim_free               (CoPn532Sim     *sim);

const char  *co_pn532_sim_get_connstring     (CoPn532Sim     *sim);
const char  *co_pn532_sim_get_link_path      (CoPn532Sim     *sim);

void         co_pn532_sim_put_card           (CoPn532Sim     *sim,
                                              const guint8   *uid,
                                              gsize           uid_len,
                                              CoPn532SimCard  card);
void         co_pn532_sim_put_card_briefly   (CoPn532Sim     *sim,
                                              const guint8   *uid,
                                              gsize           uid_len,
                                              CoPn532SimCard  card,
                                              int             answers);
gboolean     co_pn532_sim_put_card_hex       (CoPn532Sim     *sim,
                                              const char     *uid_hex,
                                              CoPn532SimCard  card,
                                              int             answers,
                                              GError        **error);
void         co_pn532_sim_remove_card        (CoPn532Sim     *sim);
gboolean     co_pn532_sim_has_card           (CoPn532Sim     *sim);
void         co_pn532_sim_set_card_answers   (CoPn532Sim     *sim,
                                              int             answers);

void         co_pn532_sim_unplug             (CoPn532Sim     *sim);
gboolean     co_pn532_sim_replug             (CoPn532Sim     *sim,
                                              GError        **error);
gboolean     co_pn532_sim_is_plugged         (CoPn532Sim     *sim);

void         co_pn532_sim_set_delay_ms       (CoPn532Sim     *sim,
                                              guint           delay_ms);
void         co_pn532_sim_set_mute           (CoPn532Sim     *sim,
                                              gboolean        mute);

guint        co_pn532_sim_get_frame_count    (CoPn532Sim     *sim);
guint        co_pn532_sim_get_card_commands  (CoPn532Sim     *sim);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoPn532Sim, co_pn532_sim_free)

G_END_DECLS
