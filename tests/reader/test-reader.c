/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoReader through the real libnfc and its pn532_uart driver, against the
 * PN532 simulator. Every wait has a deadline; nothing here depends on how
 * fast the machine is (timings are for tests/bench/bench-reader.c).
 */
#define G_LOG_DOMAIN "test-reader"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "co-pn532-sim.h"
#include "co-reader.h"
#include "co-reader-private.h"

/* Generous: a loaded 2-core CI machine under the sanitizers. */
#define DEADLINE_S 30

#define WAIT_UNTIL(cond)                                                      \
  G_STMT_START {                                                              \
    gint64 end_ = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;      \
    while (!(cond) && g_get_monotonic_time () < end_)                         \
      g_main_context_iteration (NULL, TRUE);                                  \
    g_assert_true (cond);                                                     \
  } G_STMT_END

static const guint8 uid4[] = { 0xde, 0xad, 0xbe, 0xef };
static const guint8 uid4b[] = { 0x12, 0x34, 0x56, 0x78 };
static const guint8 uid7[] = { 0x04, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6 };

/* Set before libnfc reads its environment: the device auto-detection finds. */
static char *auto_dir;
static char *auto_link;

typedef struct
{
  CoPn532Sim *sim;
  CoReader   *reader;
  char       *tmp_dir;

  GPtrArray  *presented;   /* CoCardTap */
  GPtrArray  *removed;     /* CoCardTap */
  GPtrArray  *read_failed; /* GError */
  GPtrArray  *lost;        /* GError */
  GPtrArray  *found;       /* char * */
  guint       off_thread;  /* signals emitted off the test's thread */
  guint       error_notifies;

  gboolean    stopped;
  guint       tick_id;
} Fixture;

/* Helpers */

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
drain_events (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
check_thread (Fixture *f)
{
  if (!g_main_context_is_owner (g_main_context_default ()))
    f->off_thread++;
}

static void
on_card_presented_cb (CoReader  *reader,
                      CoCardTap *tap,
                      Fixture   *f)
{
  check_thread (f);
  g_ptr_array_add (f->presented, co_card_tap_ref (tap));
}

static void
on_card_removed_cb (CoReader  *reader,
                    CoCardTap *tap,
                    Fixture   *f)
{
  check_thread (f);
  g_ptr_array_add (f->removed, co_card_tap_ref (tap));
}

static void
on_read_failed_cb (CoReader     *reader,
                   const GError *error,
                   Fixture      *f)
{
  check_thread (f);
  g_ptr_array_add (f->read_failed, g_error_copy (error));
}

static void
on_reader_lost_cb (CoReader     *reader,
                   const GError *error,
                   Fixture      *f)
{
  check_thread (f);
  g_assert_false (co_reader_get_connected (reader));
  g_assert_nonnull (co_reader_get_error (reader));
  g_ptr_array_add (f->lost, g_error_copy (error));
}

static void
on_reader_found_cb (CoReader   *reader,
                    const char *connstring,
                    Fixture    *f)
{
  check_thread (f);
  g_assert_true (co_reader_get_connected (reader));
  g_assert_null (co_reader_get_error (reader));
  g_assert_cmpstr (co_reader_get_device (reader), ==, connstring);
  g_ptr_array_add (f->found, g_strdup (connstring));
}

static void
on_notify_error_cb (CoReader   *reader,
                    GParamSpec *pspec,
                    Fixture    *f)
{
  f->error_notifies++;
}

static void
watch_reader (Fixture  *f,
              CoReader *reader)
{
  f->reader = reader;
  g_signal_connect (reader, "card-presented", G_CALLBACK (on_card_presented_cb), f);
  g_signal_connect (reader, "card-removed", G_CALLBACK (on_card_removed_cb), f);
  g_signal_connect (reader, "read-failed", G_CALLBACK (on_read_failed_cb), f);
  g_signal_connect (reader, "reader-lost", G_CALLBACK (on_reader_lost_cb), f);
  g_signal_connect (reader, "reader-found", G_CALLBACK (on_reader_found_cb), f);
  g_signal_connect (reader, "notify::error", G_CALLBACK (on_notify_error_cb), f);
}

static void
stop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (co_reader_stop_finish (CO_READER (object), result, &error));
  g_assert_no_error (error);
  f->stopped = TRUE;
}

/* Stops the reader and waits until its worker has let go of the port. */
static void
stop_and_wait (Fixture *f)
{
  f->stopped = FALSE;
  co_reader_stop_async (f->reader, NULL, stop_cb, f);
  g_assert_false (co_reader_get_running (f->reader));
  WAIT_UNTIL (f->stopped);
}

static void
set_up_common (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->presented = g_ptr_array_new_with_free_func ((GDestroyNotify) co_card_tap_unref);
  f->removed = g_ptr_array_new_with_free_func ((GDestroyNotify) co_card_tap_unref);
  f->read_failed = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  f->lost = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  f->found = g_ptr_array_new_with_free_func (g_free);
  f->tick_id = g_timeout_add (10, tick_cb, NULL);
  f->tmp_dir = g_dir_make_tmp ("test-reader-XXXXXX", &error);
  g_assert_no_error (error);
}

/* A plugged simulator and a started reader that has found it. */
static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  set_up_common (f);
  f->sim = co_pn532_sim_new (NULL, &error);
  g_assert_no_error (error);
  if (data != NULL)
    co_pn532_sim_set_delay_ms (f->sim, GPOINTER_TO_UINT (data));

  watch_reader (f, co_reader_new (co_pn532_sim_get_connstring (f->sim)));
  g_assert_false (co_reader_get_running (f->reader));
  co_reader_start (f->reader);
  g_assert_true (co_reader_get_running (f->reader));
  WAIT_UNTIL (f->found->len == 1);
  g_assert_cmpstr (g_ptr_array_index (f->found, 0), ==, co_pn532_sim_get_connstring (f->sim));
  g_assert_cmpuint (f->lost->len, ==, 0);
}

/* Nothing started. */
static void
set_up_bare (Fixture       *f,
             gconstpointer  data)
{
  set_up_common (f);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  if (f->reader != NULL)
    {
      stop_and_wait (f);
      drain_events ();
      g_signal_handlers_disconnect_by_data (f->reader, f);
      g_assert_finalize_object (f->reader);
    }
  g_clear_pointer (&f->sim, co_pn532_sim_free);
  g_assert_cmpuint (f->off_thread, ==, 0);
  g_clear_pointer (&f->presented, g_ptr_array_unref);
  g_clear_pointer (&f->removed, g_ptr_array_unref);
  g_clear_pointer (&f->read_failed, g_ptr_array_unref);
  g_clear_pointer (&f->lost, g_ptr_array_unref);
  g_clear_pointer (&f->found, g_ptr_array_unref);
  g_clear_handle_id (&f->tick_id, g_source_remove);
  g_rmdir (f->tmp_dir);
  g_clear_pointer (&f->tmp_dir, g_free);
}

static const GError *
lost_error (Fixture *f,
            guint    i)
{
  g_assert_cmpuint (i, <, f->lost->len);
  return g_ptr_array_index (f->lost, i);
}

static CoCardTap *
presented (Fixture *f,
           guint    i)
{
  g_assert_cmpuint (i, <, f->presented->len);
  return g_ptr_array_index (f->presented, i);
}

/* Waits until the reader has sent @n more commands to the card, then until
 * whatever they led to was delivered. */
static void
wait_card_commands (Fixture *f,
                    guint    n)
{
  guint target = co_pn532_sim_get_card_commands (f->sim) + n;

  WAIT_UNTIL (co_pn532_sim_get_card_commands (f->sim) >= target);
  /* One more: the events of the checks above are posted before it. */
  target = co_pn532_sim_get_card_commands (f->sim) + 1;
  WAIT_UNTIL (co_pn532_sim_get_card_commands (f->sim) >= target);
  drain_events ();
}

/* Tests */

static void
test_chip_type (void)
{
  CoChipType type;

  g_assert_cmpint (co_chip_type_from_answer (0x0004, 0x08), ==, CO_CHIP_TYPE_MIFARE_CLASSIC_1K);
  g_assert_cmpint (co_chip_type_from_answer (0x0044, 0x08), ==, CO_CHIP_TYPE_MIFARE_CLASSIC_1K);
  g_assert_cmpint (co_chip_type_from_answer (0x0004, 0x28), ==, CO_CHIP_TYPE_MIFARE_CLASSIC_1K);
  g_assert_cmpint (co_chip_type_from_answer (0x0002, 0x18), ==, CO_CHIP_TYPE_MIFARE_CLASSIC_4K);
  g_assert_cmpint (co_chip_type_from_answer (0x0004, 0x09), ==, CO_CHIP_TYPE_MIFARE_MINI);
  g_assert_cmpint (co_chip_type_from_answer (0x0044, 0x00), ==, CO_CHIP_TYPE_MIFARE_ULTRALIGHT);
  g_assert_cmpint (co_chip_type_from_answer (0x0344, 0x20), ==, CO_CHIP_TYPE_ISO14443_4);
  g_assert_cmpint (co_chip_type_from_answer (0x0004, 0x00), ==, CO_CHIP_TYPE_UNKNOWN);

  g_assert_cmpstr (co_chip_type_to_string (CO_CHIP_TYPE_MIFARE_ULTRALIGHT), ==, "mifare_ultralight");
  g_assert_cmpstr (co_chip_type_to_string (CO_CHIP_TYPE_MIFARE_CLASSIC_1K), ==, "mifare_classic_1k");
  g_assert_true (co_chip_type_from_string ("iso14443_4", &type));
  g_assert_cmpint (type, ==, CO_CHIP_TYPE_ISO14443_4);
  g_assert_false (co_chip_type_from_string ("felica", &type));
}

static void
test_card_tap (void)
{
  static const guint8 uid[] = { 0x04, 0x0a, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6 };
  g_autoptr(CoCardTap) tap = co_card_tap_new (uid, sizeof uid, 0x0044, 0x00, 1000, 3500);
  const guint8 *bytes;
  gsize len;

  g_assert_cmpstr (co_card_tap_get_uid (tap), ==, "040AB2C3D4E5F6");
  bytes = co_card_tap_get_uid_bytes (tap, &len);
  g_assert_cmpmem (bytes, len, uid, sizeof uid);
  g_assert_cmpint (co_card_tap_get_chip_type (tap), ==, CO_CHIP_TYPE_MIFARE_ULTRALIGHT);
  g_assert_cmphex (co_card_tap_get_atqa (tap), ==, 0x0044);
  g_assert_cmphex (co_card_tap_get_sak (tap), ==, 0x00);
  g_assert_cmpint (co_card_tap_get_present_time (tap), ==, 1000);
  g_assert_cmpint (co_card_tap_get_read_time (tap), ==, 3500);
}

static void
test_tap (Fixture       *f,
          gconstpointer  data)
{
  CoCardTap *tap;

  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (f->presented->len == 1);
  tap = presented (f, 0);
  g_assert_cmpstr (co_card_tap_get_uid (tap), ==, "DEADBEEF");
  g_assert_cmpint (co_card_tap_get_chip_type (tap), ==, CO_CHIP_TYPE_MIFARE_CLASSIC_1K);
  g_assert_cmpint (co_card_tap_get_read_time (tap), >=, co_card_tap_get_present_time (tap));
  g_assert_cmpint (co_card_tap_get_present_time (tap), >, 0);
  g_assert_cmpuint (f->removed->len, ==, 0);

  co_pn532_sim_remove_card (f->sim);
  WAIT_UNTIL (f->removed->len == 1);
  g_assert_true (g_ptr_array_index (f->removed, 0) == tap);
  g_assert_cmpuint (f->presented->len, ==, 1);
  g_assert_cmpuint (f->read_failed->len, ==, 0);
  g_assert_cmpuint (f->lost->len, ==, 0);
}

static void
test_hold (Fixture       *f,
           gconstpointer  data)
{
  co_pn532_sim_put_card (f->sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
  WAIT_UNTIL (f->presented->len == 1);

  /* Held through many presence checks: still one tap. */
  wait_card_commands (f, 10);
  g_assert_cmpuint (f->presented->len, ==, 1);
  g_assert_cmpuint (f->removed->len, ==, 0);

  co_pn532_sim_remove_card (f->sim);
  WAIT_UNTIL (f->removed->len == 1);
  wait_card_commands (f, 5);
  g_assert_cmpuint (f->presented->len, ==, 1);
}

static void
test_retap (Fixture       *f,
            gconstpointer  data)
{
  for (guint i = 1; i <= 3; i++)
    {
      co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
      WAIT_UNTIL (f->presented->len == i);
      co_pn532_sim_remove_card (f->sim);
      WAIT_UNTIL (f->removed->len == i);
    }
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (co_card_tap_get_uid (presented (f, i)), ==, "DEADBEEF");

  /* Another card straight after, without a gap the reader could see. */
  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (f->presented->len == 4);
  co_pn532_sim_put_card (f->sim, uid4b, sizeof uid4b, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (f->presented->len == 5);
  g_assert_cmpstr (co_card_tap_get_uid (presented (f, 4)), ==, "12345678");
  g_assert_cmpuint (f->removed->len, ==, 4);
}

static void
test_uid_7_byte (Fixture       *f,
                 gconstpointer  data)
{
  co_pn532_sim_put_card (f->sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
  WAIT_UNTIL (f->presented->len == 1);
  g_assert_cmpstr (co_card_tap_get_uid (presented (f, 0)), ==, "04A1B2C3D4E5F6");
  g_assert_cmpint (co_card_tap_get_chip_type (presented (f, 0)), ==, CO_CHIP_TYPE_MIFARE_ULTRALIGHT);
  co_pn532_sim_remove_card (f->sim);
  WAIT_UNTIL (f->removed->len == 1);

  /* A 7-byte MIFARE Classic (EV1): re-selected with its cascade tag. */
  co_pn532_sim_put_card (f->sim, uid7, sizeof uid7, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (f->presented->len == 2);
  g_assert_cmpstr (co_card_tap_get_uid (presented (f, 1)), ==, "04A1B2C3D4E5F6");
  g_assert_cmpint (co_card_tap_get_chip_type (presented (f, 1)), ==, CO_CHIP_TYPE_MIFARE_CLASSIC_1K);
  g_assert_cmphex (co_card_tap_get_atqa (presented (f, 1)), ==, 0x0044);
  wait_card_commands (f, 5);
  g_assert_cmpuint (f->presented->len, ==, 2);
  co_pn532_sim_remove_card (f->sim);
  WAIT_UNTIL (f->removed->len == 2);
}

static void
test_chip_types (Fixture       *f,
                 gconstpointer  data)
{
  static const struct { CoPn532SimCard card; CoChipType type; } cases[] = {
    { CO_PN532_SIM_CLASSIC_4K, CO_CHIP_TYPE_MIFARE_CLASSIC_4K },
    { CO_PN532_SIM_MINI, CO_CHIP_TYPE_MIFARE_MINI },
    { CO_PN532_SIM_CPU, CO_CHIP_TYPE_ISO14443_4 },
    /* No libnfc presence check: watched by selecting its UID. */
    { CO_PN532_SIM_OTHER, CO_CHIP_TYPE_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, cases[i].card);
      WAIT_UNTIL (f->presented->len == i + 1);
      g_assert_cmpint (co_card_tap_get_chip_type (presented (f, i)), ==, cases[i].type);
      /* Its presence check works: held, it does not fire again. */
      wait_card_commands (f, 4);
      g_assert_cmpuint (f->presented->len, ==, i + 1);
      co_pn532_sim_remove_card (f->sim);
      WAIT_UNTIL (f->removed->len == i + 1);
    }
}

static void
test_pulled_mid_read (Fixture       *f,
                      gconstpointer  data)
{
  const GError *error;

  /* Answers the poll that finds it, gone before the read. */
  co_pn532_sim_put_card_briefly (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K, 1);
  WAIT_UNTIL (f->read_failed->len == 1);
  error = g_ptr_array_index (f->read_failed, 0);
  g_assert_error (error, CO_CARD_ERROR, CO_CARD_ERROR_CARD_REMOVED);

  co_pn532_sim_put_card_briefly (f->sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT, 1);
  WAIT_UNTIL (f->read_failed->len == 2);
  error = g_ptr_array_index (f->read_failed, 1);
  g_assert_error (error, CO_CARD_ERROR, CO_CARD_ERROR_CARD_REMOVED);

  g_assert_cmpuint (f->presented->len, ==, 0);
  g_assert_cmpuint (f->removed->len, ==, 0);
  g_assert_cmpuint (f->lost->len, ==, 0);

  /* Tapped again properly, it is read. */
  co_pn532_sim_put_card (f->sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
  WAIT_UNTIL (f->presented->len == 1);
  g_assert_cmpstr (co_card_tap_get_uid (presented (f, 0)), ==, "04A1B2C3D4E5F6");
}

static void
test_pulled_while_held (Fixture       *f,
                        gconstpointer  data)
{
  /* Poll, read, two presence checks, then gone. */
  co_pn532_sim_put_card_briefly (f->sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT, 4);
  WAIT_UNTIL (f->removed->len == 1);
  g_assert_cmpuint (f->presented->len, ==, 1);
  g_assert_cmpuint (f->read_failed->len, ==, 0);
  g_assert_cmpuint (f->lost->len, ==, 0);
}

static void
test_unplug_replug (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const GError *lost;

  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (f->presented->len == 1);
  co_pn532_sim_remove_card (f->sim);
  WAIT_UNTIL (f->removed->len == 1);

  co_pn532_sim_unplug (f->sim);
  WAIT_UNTIL (f->lost->len == 1);
  lost = g_ptr_array_index (f->lost, 0);
  g_assert_error (lost, CO_CARD_ERROR, CO_CARD_ERROR_READER_LOST);
  g_assert_error (co_reader_get_error (f->reader), CO_CARD_ERROR, CO_CARD_ERROR_READER_LOST);
  g_assert_false (co_reader_get_connected (f->reader));
  g_assert_null (co_reader_get_device (f->reader));
  g_assert_true (co_reader_get_running (f->reader));

  g_assert_true (co_pn532_sim_replug (f->sim, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (f->found->len == 2);
  g_assert_true (co_reader_get_connected (f->reader));
  g_assert_null (co_reader_get_error (f->reader));
  g_assert_cmpuint (f->lost->len, ==, 1);

  co_pn532_sim_put_card (f->sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
  WAIT_UNTIL (f->presented->len == 2);
  g_assert_cmpstr (co_card_tap_get_uid (presented (f, 1)), ==, "04A1B2C3D4E5F6");

  /* And once more. */
  co_pn532_sim_unplug (f->sim);
  WAIT_UNTIL (f->lost->len == 2);
  g_assert_cmpuint (f->removed->len, ==, 2);
  g_assert_true (co_pn532_sim_replug (f->sim, &error));
  WAIT_UNTIL (f->found->len == 3);
  /* The card lay on the reader all along: a new tap for the new reader. */
  WAIT_UNTIL (f->presented->len == 3);
}

static void
test_no_reader_at_start (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *link = g_build_filename (f->tmp_dir, "reader", NULL);
  g_autofree char *connstring = g_strdup_printf ("pn532_uart:%s", link);
  guint notifies;

  watch_reader (f, co_reader_new (connstring));
  co_reader_start (f->reader);
  WAIT_UNTIL (f->lost->len == 1);
  g_assert_error (lost_error (f, 0), CO_CARD_ERROR, CO_CARD_ERROR_NO_READER);
  g_assert_error (co_reader_get_error (f->reader), CO_CARD_ERROR, CO_CARD_ERROR_NO_READER);
  g_assert_false (co_reader_get_connected (f->reader));
  g_assert_true (co_reader_get_running (f->reader));
  notifies = f->error_notifies;
  g_assert_cmpuint (notifies, ==, 1);

  f->sim = co_pn532_sim_new (link, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (f->found->len == 1);
  g_assert_cmpstr (g_ptr_array_index (f->found, 0), ==, connstring);
  /* Reported once, though tried many times. */
  g_assert_cmpuint (f->lost->len, ==, 1);
  g_assert_cmpuint (f->error_notifies, ==, notifies + 1);

  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (f->presented->len == 1);
}

static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) holder = NULL;
  int fd;

  f->sim = co_pn532_sim_new (NULL, &error);
  g_assert_no_error (error);

  /* Another program has the port open and talks over libnfc (a modem
   * manager probing it, say): the chip's answers are lost to us. */
  fd = open (co_pn532_sim_get_link_path (f->sim), O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_take_stdin_fd (launcher, fd);
  holder = g_subprocess_launcher_spawn (launcher, &error, "sleep", "600", NULL);
  g_assert_no_error (error);
  co_pn532_sim_set_mute (f->sim, TRUE);

  watch_reader (f, co_reader_new (co_pn532_sim_get_connstring (f->sim)));
  co_reader_start (f->reader);
  WAIT_UNTIL (f->lost->len == 1);
  g_assert_error (lost_error (f, 0), CO_CARD_ERROR, CO_CARD_ERROR_READER_BUSY);
  g_assert_nonnull (strstr (lost_error (f, 0)->message, "sleep (pid "));

  /* It lets go: the reader is taken by itself. */
  g_subprocess_force_exit (holder);
  g_assert_true (g_subprocess_wait (holder, NULL, &error));
  g_assert_no_error (error);
  co_pn532_sim_set_mute (f->sim, FALSE);
  WAIT_UNTIL (f->found->len == 1);
  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (f->presented->len == 1);
}

static void
test_auto_detect (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* LIBNFC_DEVICE names auto_link, which nfc_list_devices() returns. */
  watch_reader (f, co_reader_new (NULL));
  g_assert_null (co_reader_get_connstring (f->reader));
  co_reader_start (f->reader);
  WAIT_UNTIL (f->lost->len == 1);
  g_assert_error (lost_error (f, 0), CO_CARD_ERROR, CO_CARD_ERROR_NO_READER);

  f->sim = co_pn532_sim_new (auto_link, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (f->found->len == 1);
  g_assert_cmpstr (co_reader_get_device (f->reader), ==, co_pn532_sim_get_connstring (f->sim));
  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (f->presented->len == 1);
}

static void
test_set_connstring (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *nowhere = g_strdup_printf ("pn532_uart:%s/nowhere", f->tmp_dir);

  f->sim = co_pn532_sim_new (NULL, &error);
  g_assert_no_error (error);
  watch_reader (f, co_reader_new (nowhere));
  co_reader_start (f->reader);
  WAIT_UNTIL (f->lost->len == 1);

  co_reader_set_connstring (f->reader, co_pn532_sim_get_connstring (f->sim));
  g_assert_cmpstr (co_reader_get_connstring (f->reader), ==, co_pn532_sim_get_connstring (f->sim));
  g_assert_true (co_reader_get_running (f->reader));
  WAIT_UNTIL (f->found->len == 1);
  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (f->presented->len == 1);

  /* Back to nowhere: the simulator's port is let go. */
  co_reader_set_connstring (f->reader, nowhere);
  WAIT_UNTIL (f->lost->len == 2);
  g_assert_error (lost_error (f, 1), CO_CARD_ERROR, CO_CARD_ERROR_NO_READER);
}

static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (f->presented->len == 1);

  /* Started again before the first worker has ended: the new one waits
   * for the port instead of finding it busy. */
  co_reader_stop (f->reader);
  g_assert_false (co_reader_get_running (f->reader));
  g_assert_false (co_reader_get_connected (f->reader));
  co_reader_start (f->reader);
  WAIT_UNTIL (f->found->len == 2);
  WAIT_UNTIL (f->presented->len == 2);
  g_assert_cmpuint (f->lost->len, ==, 0);

  stop_and_wait (f);
  co_reader_start (f->reader);
  WAIT_UNTIL (f->found->len == 3);
  WAIT_UNTIL (f->presented->len == 3);
}

static void
test_stop_quiet (Fixture       *f,
                 gconstpointer  data)
{
  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);
  WAIT_UNTIL (f->presented->len == 1);

  co_reader_stop (f->reader);
  co_pn532_sim_remove_card (f->sim);
  co_pn532_sim_unplug (f->sim);
  stop_and_wait (f);
  drain_events ();
  g_assert_cmpuint (f->removed->len, ==, 0);
  g_assert_cmpuint (f->lost->len, ==, 0);

  /* Stopping a stopped reader is fine. */
  co_reader_stop (f->reader);
  stop_and_wait (f);
}

static void
test_stop_mute (Fixture       *f,
                gconstpointer  data)
{
  /* A hung chip: the worker waits on an answer that never comes. Stopping
   * aborts the wait. */
  co_pn532_sim_set_mute (f->sim, TRUE);
  stop_and_wait (f);
  g_assert_cmpuint (f->lost->len, ==, 0);
}

static void
test_stop_while_card_goes (Fixture       *f,
                           gconstpointer  data)
{
  /* With the realistic delay, the worker is waiting for the chip to say the
   * card is gone. */
  co_pn532_sim_put_card (f->sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
  WAIT_UNTIL (f->presented->len == 1);
  co_pn532_sim_remove_card (f->sim);
  stop_and_wait (f);
}

static void
test_mute_is_lost (Fixture       *f,
                   gconstpointer  data)
{
  /* Silence counts as lost, not as a hang. */
  co_pn532_sim_set_mute (f->sim, TRUE);
  WAIT_UNTIL (f->lost->len == 1);
  g_assert_error (lost_error (f, 0), CO_CARD_ERROR, CO_CARD_ERROR_READER_LOST);
  co_pn532_sim_set_mute (f->sim, FALSE);
  WAIT_UNTIL (f->found->len == 2);
}

static void
test_unplug_card_held (Fixture       *f,
                       gconstpointer  data)
{
  co_pn532_sim_put_card (f->sim, uid7, sizeof uid7, CO_PN532_SIM_ULTRALIGHT);
  WAIT_UNTIL (f->presented->len == 1);
  co_pn532_sim_unplug (f->sim);
  WAIT_UNTIL (f->lost->len == 1);
  g_assert_cmpuint (f->removed->len, ==, 1);
}

typedef struct
{
  char     *connstring;
  GThread  *emitted_on;
  gboolean  found;
  gboolean  presented;
  gboolean  stopped;
} ThreadData;

static void
thread_found_cb (CoReader   *reader,
                 const char *connstring,
                 ThreadData *td)
{
  td->found = TRUE;
}

static void
thread_presented_cb (CoReader   *reader,
                     CoCardTap  *tap,
                     ThreadData *td)
{
  td->emitted_on = g_thread_self ();
  td->presented = TRUE;
}

static void
thread_stop_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ThreadData *td = user_data;

  g_assert_true (co_reader_stop_finish (CO_READER (object), result, NULL));
  td->stopped = TRUE;
}

static gpointer
reader_thread (gpointer data)
{
  ThreadData *td = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) tick = g_timeout_source_new (10);
  g_autoptr(CoReader) reader = NULL;
  gint64 end = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;

  g_source_set_callback (tick, tick_cb, NULL, NULL);
  g_source_attach (tick, context);
  g_main_context_push_thread_default (context);

  reader = co_reader_new (td->connstring);
  g_signal_connect (reader, "reader-found", G_CALLBACK (thread_found_cb), td);
  g_signal_connect (reader, "card-presented", G_CALLBACK (thread_presented_cb), td);
  co_reader_start (reader);
  while (!td->presented && g_get_monotonic_time () < end)
    g_main_context_iteration (context, TRUE);

  co_reader_stop_async (reader, NULL, thread_stop_cb, td);
  while (!td->stopped && g_get_monotonic_time () < end)
    g_main_context_iteration (context, TRUE);
  g_signal_handlers_disconnect_by_data (reader, td);

  g_source_destroy (tick);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
test_owner_context (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ThreadData td = { NULL, NULL, FALSE, FALSE, FALSE };
  GThread *thread;

  f->sim = co_pn532_sim_new (NULL, &error);
  g_assert_no_error (error);
  co_pn532_sim_put_card (f->sim, uid4, sizeof uid4, CO_PN532_SIM_CLASSIC_1K);

  td.connstring = g_strdup (co_pn532_sim_get_connstring (f->sim));
  thread = g_thread_new ("test-owner", reader_thread, &td);
  g_thread_join (g_thread_ref (thread));

  g_assert_true (td.found);
  g_assert_true (td.presented);
  g_assert_true (td.stopped);
  /* On the thread whose context made the reader. */
  g_assert_true (td.emitted_on == thread);
  g_thread_unref (thread);
  g_free (td.connstring);
}

static void
make_file (const char *dir,
           const char *name,
           const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_mkdir_with_parents (dir, 0700) == 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_diagnose_usb (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *sys = g_build_filename (f->tmp_dir, "sys", NULL);
  g_autofree char *proc = g_build_filename (f->tmp_dir, "proc", NULL);
  g_autofree char *device = g_build_filename (sys, "bus", "usb", "devices", "1-1", NULL);
  g_autofree char *iface = g_build_filename (device, "1-1:1.0", NULL);
  g_autofree char *driver = g_build_filename (iface, "driver", NULL);
  g_autoptr(GError) error = NULL;

  /* Nothing plugged in. */
  g_assert_true (g_mkdir_with_parents (proc, 0700) == 0);
  _co_reader_diagnose_usb (NULL, sys, proc, &error);
  g_assert_error (error, CO_CARD_ERROR, CO_CARD_ERROR_NO_READER);
  g_clear_error (&error);

  /* An ACR122U nobody holds, but libnfc could not open: permissions. */
  make_file (device, "idVendor", "072f\n");
  make_file (device, "idProduct", "2200\n");
  g_assert_true (g_mkdir_with_parents (iface, 0700) == 0);
  _co_reader_diagnose_usb ("acr122_usb:001:004", sys, proc, &error);
  g_assert_error (error, CO_CARD_ERROR, CO_CARD_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Bound to the kernel's NFC driver. */
  g_assert_cmpint (symlink ("../../../../bus/usb/drivers/pn533_usb", driver), ==, 0);
  _co_reader_diagnose_usb ("acr122_usb:001:004", sys, proc, &error);
  g_assert_error (error, CO_CARD_ERROR, CO_CARD_ERROR_READER_BUSY);
  g_assert_nonnull (strstr (error->message, "pn533_usb"));
  g_clear_error (&error);
  g_unlink (driver);

  /* Claimed through usbfs while pcscd runs. */
  g_assert_cmpint (symlink ("../../../../bus/usb/drivers/usbfs", driver), ==, 0);
  {
    g_autofree char *init_dir = g_build_filename (proc, "1", NULL);
    g_autofree char *pid_dir = g_build_filename (proc, "4242", NULL);

    make_file (init_dir, "comm", "systemd\n");
    make_file (pid_dir, "comm", "pcscd\n");
  }
  _co_reader_diagnose_usb (NULL, sys, proc, &error);
  g_assert_error (error, CO_CARD_ERROR, CO_CARD_ERROR_READER_BUSY);
  g_assert_nonnull (strstr (error->message, "pcscd"));
  g_clear_error (&error);

  /* Leave tmp_dir empty for tear_down. */
  {
    g_autofree char *p1 = g_build_filename (proc, "4242", "comm", NULL);
    g_autofree char *p1d = g_build_filename (proc, "4242", NULL);
    g_autofree char *p2 = g_build_filename (proc, "1", "comm", NULL);
    g_autofree char *p2d = g_build_filename (proc, "1", NULL);
    g_autofree char *v = g_build_filename (device, "idVendor", NULL);
    g_autofree char *p = g_build_filename (device, "idProduct", NULL);
    g_autofree char *devices = g_path_get_dirname (device);
    g_autofree char *usb = g_path_get_dirname (devices);
    g_autofree char *bus = g_path_get_dirname (usb);

    g_unlink (p1); g_rmdir (p1d); g_unlink (p2); g_rmdir (p2d); g_rmdir (proc);
    g_unlink (driver); g_rmdir (iface); g_unlink (v); g_unlink (p); g_rmdir (device);
    g_rmdir (devices); g_rmdir (usb); g_rmdir (bus); g_rmdir (sys);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *device = NULL;
  int status;

  /* Before any thread and before libnfc reads its environment. */
  auto_dir = g_dir_make_tmp ("test-reader-auto-XXXXXX", &error);
  g_assert_no_error (error);
  auto_link = g_build_filename (auto_dir, "reader", NULL);
  device = g_strdup_printf ("pn532_uart:%s", auto_link);
  g_setenv ("LIBNFC_DEVICE", device, TRUE);
  g_setenv ("LIBNFC_AUTO_SCAN", "false", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reader/chip-type", test_chip_type);
  g_test_add_func ("/reader/card-tap", test_card_tap);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, set_up, fn, tear_down)
#define ADD_DELAYED(path, fn) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (CO_PN532_SIM_REAL_DELAY_MS), set_up, fn, tear_down)
#define ADD_BARE(path, fn) g_test_add (path, Fixture, NULL, set_up_bare, fn, tear_down)
  ADD ("/reader/tap", test_tap);
  ADD_DELAYED ("/reader/tap/realistic-delay", test_tap);
  ADD ("/reader/hold", test_hold);
  ADD_DELAYED ("/reader/hold/realistic-delay", test_hold);
  ADD ("/reader/re-tap", test_retap);
  ADD ("/reader/uid-7-byte", test_uid_7_byte);
  ADD ("/reader/chip-types", test_chip_types);
  ADD ("/reader/pulled-mid-read", test_pulled_mid_read);
  ADD_DELAYED ("/reader/pulled-mid-read/realistic-delay", test_pulled_mid_read);
  ADD_DELAYED ("/reader/pulled-while-held", test_pulled_while_held);
  ADD ("/reader/unplug-replug", test_unplug_replug);
  ADD_DELAYED ("/reader/unplug-replug/realistic-delay", test_unplug_replug);
  ADD ("/reader/unplug-card-held", test_unplug_card_held);
  ADD ("/reader/mute-is-lost", test_mute_is_lost);
  ADD_BARE ("/reader/no-reader-at-start", test_no_reader_at_start);
  ADD_BARE ("/reader/busy", test_busy);
  ADD_BARE ("/reader/auto-detect", test_auto_detect);
  ADD_BARE ("/reader/set-connstring", test_set_connstring);
  ADD ("/reader/restart", test_restart);
  ADD ("/reader/stop/quiet", test_stop_quiet);
  ADD ("/reader/stop/mute", test_stop_mute);
  ADD_DELAYED ("/reader/stop/card-going", test_stop_while_card_goes);
  ADD_BARE ("/reader/owner-context", test_owner_context);
  ADD_BARE ("/reader/diagnose-usb", test_diagnose_usb);
#undef ADD
#undef ADD_DELAYED
#undef ADD_BARE

  status = g_test_run ();

  g_rmdir (auto_dir);
  g_clear_pointer (&auto_dir, g_free);
  g_clear_pointer (&auto_link, g_free);
  return status;
}
