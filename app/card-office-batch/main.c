/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * card-office-batch: Card Office without a window, for scripts, diagnostics
 * and tests (in the spirit of glabels-3-batch). Links the core, never GTK.
 * Output lines are key=value so scripts can read them; messages for people
 * are translated.
 */
#define G_LOG_DOMAIN "co-batch"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "co-batch-import.h"
#include "co-batch-print.h"
#include "co-batch-reader.h"
#include "co-batch-submit.h"
#include "co-data.h"
#include "co-types.h"
#include "co-enum-types.h"
#include "co-calendar.h"
#include "co-rules.h"

typedef int (*CommandFunc) (int argc, char **argv);

static CoCalendar *
load_calendar (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  CoCalendar *calendar;

  if (path == NULL)
    path = found = co_data_find_file ("holidays.ini");

  if (path == NULL)
    {
      g_printerr (_("No holiday calendar found; counting weekends only.\n"));
      return co_calendar_new ();
    }

  calendar = co_calendar_new_from_file (path, &error);
  if (calendar == NULL)
    /* Translators: %s is the file's path, then the parser's message. */
    g_printerr (_("The holiday calendar “%s” cannot be read: %s\n"), path, error->message);
  return calendar;
}

static gboolean
parse_date (const char *text,
            GDate      *out)
{
  int y, m, d;
  char tail;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

static int
command_due_date (int    argc,
                  char **argv)
{
  g_autofree char *paid_text = NULL;
  g_autofree char *calendar_path = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoCalendar) calendar = NULL;
  GOptionEntry entries[] = {
    { "paid", 0, 0, G_OPTION_ARG_STRING, &paid_text,
      N_("Date the reissue fee was paid"), N_("YYYY-MM-DD") },
    { "calendar", 0, 0, G_OPTION_ARG_FILENAME, &calendar_path,
      N_("Holiday calendar file to use instead of the installed one"), N_("FILE") },
    { NULL }
  };
  GDate paid, due;
  gboolean estimated = FALSE;
  char buf[16];

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Print the due date of a reissue: 20 working days after payment."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!parse_date (paid_text, &paid))
    {
      g_printerr (_("Give the payment date as --paid YYYY-MM-DD.\n"));
      return 2;
    }
  if (!(calendar = load_calendar (calendar_path)))
    return 2;

  co_rules_reissue_due (calendar, &paid, &due, &estimated);
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &due);
  g_print ("paid=%s due=%s working_days=%d calendar=%s\n",
           paid_text, buf, CO_REISSUE_WORKING_DAYS,
           estimated ? "weekends-only" : "official");
  if (estimated)
    g_printerr (_("The calendar has no official holidays for part of this period; weekends alone were skipped.\n"));
  return 0;
}

static int
command_check_edu_id (int    argc,
                      char **argv)
{
  int refused = 0;

  if (argc < 2)
    {
      g_printerr (_("Give one or more education IDs to check.\n"));
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      CoReason reason = co_rules_check_edu_id (argv[i]);

      if (reason == CO_REASON_NONE)
        g_print ("edu_id=%s ok\n", argv[i]);
      else
        {
          g_print ("edu_id=%s refused=%s\n", argv[i],
                   co_enum_to_wire (CO_TYPE_REASON, reason));
          refused++;
        }
    }
  return refused > 0 ? 1 : 0;
}

static const struct
{
  const char  *name;
  CommandFunc  func;
  const char  *help;
} commands[] = {
  { "due-date", command_due_date, N_("Due date of a reissue paid on a given day") },
  { "check-edu-id", command_check_edu_id, N_("Check education IDs (8 digits)") },
  { "check-import", co_batch_check_import, N_("Check a new-card or sticker list (CSV) and its photos") },
  { "submit", co_batch_submit, N_("Submit a new-card or sticker list to the server (resumable)") },
  { "stickers", co_batch_stickers, N_("Print a sheet of card stickers (PDF) from a CSV file") },
  { "forms", co_batch_forms, N_("Print reissue forms or handout lists (PDF) from a CSV file") },
  { "calibration", co_batch_calibration, N_("Print a page to measure a printer’s offset (PDF)") },
  { "reader", co_batch_reader, N_("Watch a card reader and print one line per tap") },
};

static void
print_usage (void)
{
  g_print ("%s\n\n", _("Usage: card-office-batch COMMAND [OPTION…]"));
  g_print ("%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-14s %s\n", commands[i].name, _(commands[i].help));
  g_print ("  %-14s %s\n", "version", _("Print the version"));
}

int
main (int    argc,
      char **argv)
{
  const char *localedir;

  setlocale (LC_ALL, "");
  localedir = g_getenv ("CARD_OFFICE_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage ();
      return argc < 2 ? 2 : 0;
    }
  if (g_str_equal (argv[1], "version") || g_str_equal (argv[1], "--version"))
    {
      g_print ("card-office-batch %s\n", PACKAGE_VERSION);
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].func (argc - 1, argv + 1);

  /* Translators: %s is what the user typed as the command. */
  g_printerr (_("Unknown command “%s”.\n"), argv[1]);
  print_usage ();
  return 2;
}
