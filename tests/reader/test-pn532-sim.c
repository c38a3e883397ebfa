/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The simulator itself, through plain libnfc calls: what libnfc's own tools
 * do must work against it, or the reader tests prove nothing.
 */
#define G_LOG_DOMAIN "test-pn532-sim"

#include "config.h"

#include <string.h>

#include <nfc/nfc.h>

#include "co-pn532-sim.h"

static const nfc_modulation iso14443a = { .nmt = NMT_ISO14443A, .nbr = NBR_106 };
static const guint8 uid4[] = { 0xde, 0xad, 0xbe, 0xef };
static const guint8 uid7[] = { 0x04, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6 };

typedef struct
{
  nfc_context *context;
  CoPn532Sim  *sim;
  nfc_device  *pnd;
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  nfc_init (&f->context);
  g_assert_nonnull (f->context);
  f->sim = co_pn532_sim_new (NULL, &error);
  g_assert_no_error (error);
  f->pnd = nfc_open (f->context, co_pn532_sim_get_connstring (f->sim));
  g_assert_nonnull (f->pnd);
  g_assert_cmpint (nfc_initiator_init (f->pnd), ==, 0);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  g_clear_pointer (&f->pnd, nfc_close);
  g_clear_pointer (&f->sim, co_pn532_sim_free);
  nfc_exit (f->context);
}

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *expected = g_strdup_printf ("pn532_uart:%s", co_pn532_sim_get_link_path (f->sim));

  g_assert_cmpstr (nfc_device_get_connstring (f->pnd), ==, co_pn532_sim_get_connstring (f->sim));
  g_assert_cmpstr (co_pn532_sim_get_connstring (f->sim), ==, expected);
  g_assert_true (g_file_test (co_pn532_sim_get_link_path (f->sim), G_FILE_TEST_IS_SYMLINK));
  g_assert_cmpuint (co_pn532_sim_get_frame_count (f->sim), >, 0);
}

static void
test_empty_field (Fixture       *f,
                  gconstpointer  data)
{
  nfc_target nt[1];

  g_assert_cmpint (nfc_initiator_list_passive_targets (f->pnd, iso14443a, nt, 1), ==, 0);
}

static void
test_list_classic (Fixture       *f,
                   gconstpointer  data)
{
  nfc_target nt[1];

  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  g_assert_cmpint (nfc_initiator_list_passive_targets (f->pnd, iso14443a, nt, 1), ==, 1);
  g_assert_cmpuint (nt[0].nti.nai.szUidLen, ==, 4);
  g_assert_cmpmem (nt[0].nti.nai.abtUid, 4, uid4, 4);
  g_assert_cmphex (nt[0].nti.nai.btSak, ==, 0x08);
  g_assert_cmphex (nt[0].nti.nai.abtAtqa[1], ==, 0x04);
  g_assert_cmpuint (nt[0].nti.nai.szAtsLen, ==, 0);
}

static void
test_list_ultralight (Fixture       *f,
                      gconstpointer  data)
{
  nfc_target nt[1];
  guint8 read_page0[] = { 0x30, 0x00 };
  guint8 rx[16];

  co_pn532_sim_put_card (f->sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
  g_assert_cmpint (nfc_initiator_list_passive_targets (f->pnd, iso14443a, nt, 1), ==, 1);
  g_assert_cmpuint (nt[0].nti.nai.szUidLen, ==, 7);
  g_assert_cmpmem (nt[0].nti.nai.abtUid, 7, uid7, 7);
  g_assert_cmphex (nt[0].nti.nai.btSak, ==, 0x00);
  g_assert_cmphex (nt[0].nti.nai.abtAtqa[1], ==, 0x44);

  /* Select it (cascade tag 88 + 7 bytes on the wire), read pages 0-3. */
  g_assert_cmpint (nfc_initiator_select_passive_target (f->pnd, iso14443a, uid7, 7, nt), ==, 1);
  g_assert_cmpint (nfc_initiator_transceive_bytes (f->pnd, read_page0, sizeof read_page0,
                                                   rx, sizeof rx, 500), ==, 16);
  g_assert_cmpmem (rx, 3, uid7, 3);
  g_assert_cmphex (rx[3], ==, 0x88 ^ uid7[0] ^ uid7[1] ^ uid7[2]);
  g_assert_cmpmem (rx + 4, 4, uid7 + 3, 4);
  g_assert_cmphex (rx[8], ==, uid7[3] ^ uid7[4] ^ uid7[5] ^ uid7[6]);
  g_assert_cmpint (nfc_initiator_target_is_present (f->pnd, NULL), ==, 0);
}

static void
test_classic_read (Fixture       *f,
                   gconstpointer  data)
{
  nfc_target nt;
  guint8 auth[12] = { 0x60, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  guint8 read_block0[] = { 0x30, 0x00 };
  guint8 rx[16];

  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  g_assert_cmpint (nfc_initiator_select_passive_target (f->pnd, iso14443a, NULL, 0, &nt), ==, 1);
  memcpy (auth + 8, uid4, 4);
  g_assert_cmpint (nfc_initiator_transceive_bytes (f->pnd, auth, sizeof auth, NULL, 0, 500), ==, 0);
  g_assert_cmpint (nfc_initiator_transceive_bytes (f->pnd, read_block0, sizeof read_block0,
                                                   rx, sizeof rx, 500), ==, 16);
  g_assert_cmpmem (rx, 4, uid4, 4);
  g_assert_cmphex (rx[4], ==, uid4[0] ^ uid4[1] ^ uid4[2] ^ uid4[3]);
  g_assert_cmphex (rx[5], ==, 0x08);
  /* Re-selection by UID is how libnfc checks a Classic is still there. */
  g_assert_cmpint (nfc_initiator_target_is_present (f->pnd, NULL), ==, 0);
}

static void
test_card_gone (Fixture       *f,
                gconstpointer  data)
{
  nfc_target nt;
  guint8 read_page0[] = { 0x30, 0x00 };
  guint8 rx[16];

  co_pn532_sim_set_delay_ms (f->sim, CO_PN532_SIM_REAL_DELAY_MS);
  co_pn532_sim_put_card (f->sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
  g_assert_cmpint (nfc_initiator_select_passive_target (f->pnd, iso14443a, NULL, 0, &nt), ==, 1);
  co_pn532_sim_remove_card (f->sim);
  /* Status 01 from the chip, after its delay: the card did not answer. */
  g_assert_cmpint (nfc_initiator_transceive_bytes (f->pnd, read_page0, sizeof read_page0,
                                                   rx, sizeof rx, 500), ==, NFC_ERFTRANS);
  g_assert_cmpint (nfc_initiator_target_is_present (f->pnd, NULL), ==, NFC_ETGRELEASED);
}

static void
test_card_answers (Fixture       *f,
                   gconstpointer  data)
{
  nfc_target nt;

  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  co_pn532_sim_set_card_answers (f->sim, 1);
  g_assert_true (co_pn532_sim_has_card (f->sim));
  g_assert_cmpint (nfc_initiator_select_passive_target (f->pnd, iso14443a, NULL, 0, &nt), ==, 1);
  g_assert_false (co_pn532_sim_has_card (f->sim));
  g_assert_cmpint (nfc_initiator_target_is_present (f->pnd, NULL), ==, NFC_ETGRELEASED);
}

static void
test_poll_target (Fixture       *f,
                  gconstpointer  data)
{
  nfc_target nt;

  co_pn532_sim_put_card (f->sim, uid7, sizeof uid7, CO_PN532_SIM_CLASSIC_1K);
  g_assert_cmpint (nfc_initiator_poll_target (f->pnd, &iso14443a, 1, 2, 1, &nt), ==, 1);
  g_assert_cmpuint (nt.nti.nai.szUidLen, ==, 7);
  g_assert_cmpmem (nt.nti.nai.abtUid, 7, uid7, 7);

  co_pn532_sim_remove_card (f->sim);
  g_assert_cmpint (nfc_initiator_poll_target (f->pnd, &iso14443a, 1, 1, 1, &nt), ==, 0);
}

static void
test_unplug_replug (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *connstring = g_strdup (co_pn532_sim_get_connstring (f->sim));
  nfc_target nt;
  int res;

  co_pn532_sim_unplug (f->sim);
  g_assert_false (g_file_test (co_pn532_sim_get_link_path (f->sim), G_FILE_TEST_EXISTS));

  /* The port libnfc holds now fails at once, instead of timing out. */
  res = nfc_initiator_select_passive_target (f->pnd, iso14443a, NULL, 0, &nt);
  g_assert_cmpint (res, ==, NFC_EIO);
  g_assert_cmpint (nfc_device_get_last_error (f->pnd), ==, NFC_EIO);
  g_clear_pointer (&f->pnd, nfc_close);
  g_assert_null (nfc_open (f->context, connstring));

  g_assert_true (co_pn532_sim_replug (f->sim, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (co_pn532_sim_get_connstring (f->sim), ==, connstring);
  f->pnd = nfc_open (f->context, connstring);
  g_assert_nonnull (f->pnd);
  g_assert_cmpint (nfc_initiator_init (f->pnd), ==, 0);
  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_4K);
  g_assert_cmpint (nfc_initiator_select_passive_target (f->pnd, iso14443a, NULL, 0, &nt), ==, 1);
  g_assert_cmphex (nt.nti.nai.btSak, ==, 0x18);
}

static void
test_card_names (void)
{
  CoPn532SimCard card;

  g_assert_true (co_pn532_sim_card_from_string ("ultralight", &card));
  g_assert_cmpint (card, ==, CO_PN532_SIM_ULTRALIGHT);
  g_assert_true (co_pn532_sim_card_from_string ("mifare_classic_4k", &card));
  g_assert_cmpint (card, ==, CO_PN532_SIM_CLASSIC_4K);
  g_assert_true (co_pn532_sim_card_from_string ("cpu", &card));
  g_assert_cmpint (card, ==, CO_PN532_SIM_CPU);
  g_assert_false (co_pn532_sim_card_from_string ("felica", &card));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, set_up, fn, tear_down)
  ADD ("/reader/sim/open", test_open);
  ADD ("/reader/sim/empty-field", test_empty_field);
  ADD ("/reader/sim/list/classic", test_list_classic);
  ADD ("/reader/sim/list/ultralight-7-byte", test_list_ultralight);
  ADD ("/reader/sim/classic-read", test_classic_read);
  ADD ("/reader/sim/card-gone", test_card_gone);
  ADD ("/reader/sim/card-answers", test_card_answers);
  ADD ("/reader/sim/poll-target", test_poll_target);
  ADD ("/reader/sim/unplug-replug", test_unplug_replug);
#undef ADD
  g_test_add_func ("/reader/sim/card-names", test_card_names);

  return g_test_run ();
}
