/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-model"

#include "config.h"

#include "co-types.h"
#include "co-enum-types.h"

const char *
co_enum_to_wire (GType type,
                 int   value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *ev;

  g_return_val_if_fail (G_TYPE_IS_ENUM (type), NULL);

  klass = g_type_class_ref (type);
  ev = g_enum_get_value (klass, value);

  /* Nicks are static strings of the registered enum: they outlive the class
   * reference. */
  return ev != NULL ? ev->value_nick : NULL;
}

gboolean
co_enum_from_wire (GType       type,
                   const char *wire,
                   int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *ev;

  g_return_val_if_fail (G_TYPE_IS_ENUM (type), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (wire == NULL)
    return FALSE;

  klass = g_type_class_ref (type);
  ev = g_enum_get_value_by_nick (klass, wire);
  if (ev == NULL)
    return FALSE;

  *value = ev->value;
  return TRUE;
}

CoStage
co_stage_for_grade (int grade)
{
  g_return_val_if_fail (grade >= 1 && grade <= 12, CO_STAGE_PRIMARY);

  if (grade <= 6)
    return CO_STAGE_PRIMARY;
  if (grade <= 9)
    return CO_STAGE_JUNIOR;
  return CO_STAGE_SENIOR;
}

int
co_stage_last_grade (CoStage stage)
{
  switch (stage)
    {
    case CO_STAGE_PRIMARY:
      return 6;
    case CO_STAGE_JUNIOR:
      return 9;
    case CO_STAGE_SENIOR:
      return 12;
    default:
      g_return_val_if_reached (0);
    }
}
