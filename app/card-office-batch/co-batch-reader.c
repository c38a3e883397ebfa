/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * `card-office-batch reader [--device CONNSTRING]`: a diagnostic of the card
 * reader. On stdout, one line per event, for scripts:
 *   tap UID=<hex, upper case> type=<chip type> ms=<first seen to read>
 *   reader-lost
 *   reader-found
 * On stderr, in words, why a reader is missing or a card was not read.
 * Runs until SIGINT or SIGTERM, then closes the reader and exits 0.
 */
#define G_LOG_DOMAIN "co-batch"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "co-batch-reader.h"
#include "co-reader.h"

typedef struct
{
  CoReader  *reader;
  GMainLoop *loop;
  gboolean   stopping;
} BatchReader;

static void
print_line (const char *line)
{
  g_print ("%s\n", line);
  fflush (stdout);
}

/* What the user reads, by error code; the core's English detail follows. */
static const char *
describe_error (const GError *error)
{
  if (error->domain != CO_CARD_ERROR)
    return _("The card reader reported an error.");

  switch ((CoCardError) error->code)
    {
    case CO_CARD_ERROR_NO_READER:
      return _("No card reader was found. Plug it in; it will be used as soon as it appears.");

    case CO_CARD_ERROR_READER_BUSY:
      return _("The card reader is held by another program. Close that program or service.");

    case CO_CARD_ERROR_PERMISSION_DENIED:
      return _("You are not allowed to use the card reader.");

    case CO_CARD_ERROR_READER_LOST:
      return _("The card reader stopped answering (unplugged?). Waiting for it to come back.");

    case CO_CARD_ERROR_CARD_REMOVED:
      return _("The card was taken away before it could be read. Tap it again and hold it still.");

    case CO_CARD_ERROR_IO:
    default:
      return _("The card reader reported an error.");
    }
}

static void
print_error (const GError *error)
{
  g_printerr ("%s (%s)\n", describe_error (error), error->message);
}

/* Callbacks */

static void
on_reader_card_presented_cb (CoReader  *reader,
                             CoCardTap *tap,
                             gpointer   user_data)
{
  g_autofree char *line = NULL;
  char ms[G_ASCII_DTOSTR_BUF_SIZE];

  /* A decimal point whatever the locale, for scripts. */
  g_ascii_formatd (ms, sizeof ms, "%.1f",
                   (co_card_tap_get_read_time (tap) - co_card_tap_get_present_time (tap)) / 1000.0);
  line = g_strdup_printf ("tap UID=%s type=%s ms=%s",
                          co_card_tap_get_uid (tap),
                          co_chip_type_to_string (co_card_tap_get_chip_type (tap)),
                          ms);
  print_line (line);
}

static void
on_reader_read_failed_cb (CoReader     *reader,
                          const GError *error,
                          gpointer      user_data)
{
  print_error (error);
}

static void
on_reader_found_cb (CoReader   *reader,
                    const char *connstring,
                    gpointer    user_data)
{
  print_line ("reader-found");
}

static void
on_reader_lost_cb (CoReader     *reader,
                   const GError *error,
                   gpointer      user_data)
{
  print_line ("reader-lost");
}

/* Every change of reason while the reader is missing, the first included. */
static void
on_reader_notify_error_cb (CoReader   *reader,
                           GParamSpec *pspec,
                           gpointer    user_data)
{
  const GError *error = co_reader_get_error (reader);

  if (error != NULL)
    print_error (error);
}

static void
stop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  BatchReader *batch = user_data;

  co_reader_stop_finish (CO_READER (object), result, NULL);
  g_main_loop_quit (batch->loop);
}

static gboolean
on_signal_cb (gpointer user_data)
{
  BatchReader *batch = user_data;

  if (!batch->stopping)
    {
      batch->stopping = TRUE;
      co_reader_stop_async (batch->reader, NULL, stop_cb, batch);
    }
  return G_SOURCE_CONTINUE;
}

int
co_batch_reader (int    argc,
                 char **argv)
{
  g_autofree char *device = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoReader) reader = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  GOptionEntry entries[] = {
    { "device", 0, 0, G_OPTION_ARG_STRING, &device,
      N_("libnfc connection string of the reader, such as pn532_uart:/dev/ttyUSB0 "
         "(default: the first reader found)"), N_("CONNSTRING") },
    { NULL }
  };
  BatchReader batch = { NULL, NULL, FALSE };
  guint sigint_id, sigterm_id;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Watch a card reader: print one line per tap, and when the "
                                  "reader is lost or found again, until interrupted."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      /* Translators: %s is what the user typed after the command. */
      g_printerr (_("Unexpected argument “%s”.\n"), argv[1]);
      return 2;
    }

  reader = co_reader_new (device);
  loop = g_main_loop_new (NULL, FALSE);
  batch.reader = reader;
  batch.loop = loop;

  g_signal_connect (reader, "card-presented", G_CALLBACK (on_reader_card_presented_cb), &batch);
  g_signal_connect (reader, "read-failed", G_CALLBACK (on_reader_read_failed_cb), &batch);
  g_signal_connect (reader, "reader-found", G_CALLBACK (on_reader_found_cb), &batch);
  g_signal_connect (reader, "reader-lost", G_CALLBACK (on_reader_lost_cb), &batch);
  g_signal_connect (reader, "notify::error", G_CALLBACK (on_reader_notify_error_cb), &batch);

  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, &batch);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, &batch);

  co_reader_start (reader);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (reader, &batch);
  return 0;
}
