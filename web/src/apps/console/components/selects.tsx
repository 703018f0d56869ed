import { type ComboboxItem, type OptionsFilter, Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMonth, recentMonths, todayIn } from '../../../shared/format';
import { matchesQuery, searchKey } from '../../../shared/normalize';
import { ROLES, type Role, type Unit, type UnitKind } from '../../../shared/types';

/** Option value standing for "no unit", i.e. the whole tenant (unitCode null). */
export const WHOLE_TENANT = '*';

export function toUnitCode(value: string | null): string | null {
  return value === null || value === WHOLE_TENANT ? null : value;
}

type BaseProps = Omit<SelectProps, 'data' | 'value' | 'onChange'>;

export function RoleSelect({ value, onChange, ...rest }: BaseProps & { value: Role | null; onChange: (r: Role | null) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      {...rest}
      allowDeselect={false}
      value={value}
      onChange={(v) => onChange(v as Role | null)}
      data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
    />
  );
}

// Accent-insensitive, like the units search.
const unitFilter: OptionsFilter = ({ options, search, limit }) => {
  const out: typeof options = [];
  for (const o of options) {
    if ('group' in o) continue;
    if (matchesQuery(search, searchKey((o as ComboboxItem).label))) out.push(o);
    if (out.length >= limit) break;
  }
  return out;
};

/** Searchable unit picker over currently valid units, with "whole tenant" first. */
export function UnitSelect({
  units,
  value,
  onChange,
  ...rest
}: BaseProps & { units: Unit[]; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const data = useMemo(() => {
    const today = todayIn();
    const open = units.filter((u) => u.validTo === null || u.validTo >= today);
    return [
      { value: WHOLE_TENANT, label: t('common.wholeTenant') },
      ...open.map((u) => ({ value: u.code, label: `${u.name} (${u.code})` })),
    ];
  }, [units, t]);
  return (
    <Select
      {...rest}
      searchable
      allowDeselect={false}
      filter={unitFilter}
      limit={100}
      value={value}
      onChange={(v) => onChange(v ?? WHOLE_TENANT)}
      data={data}
      nothingFoundMessage={t('users.noUnitMatch')}
    />
  );
}

/** Kinds of units that serve citizens and send monthly lists (with a sector). */
const SERVICE_KINDS: ReadonlySet<UnitKind> = new Set(['one_stop_office', 'service_centre', 'hospital', 'health_centre']);

/** Currently valid units that serve citizens: one-stop offices, service centres, hospitals, health centres. */
export function serviceUnits(units: Unit[], today = todayIn()): Unit[] {
  return units.filter((u) => u.sector !== null && SERVICE_KINDS.has(u.kind) && (u.validTo === null || u.validTo >= today));
}

/** Searchable picker over units that send lists (no "whole tenant" choice). */
export function ServiceUnitSelect({
  units,
  value,
  onChange,
  ...rest
}: BaseProps & { units: Unit[]; value: string | null; onChange: (v: string | null) => void }) {
  const { t } = useTranslation();
  const data = useMemo(() => {
    const options = serviceUnits(units).map((u) => ({ value: u.code, label: `${u.name} (${u.code})`, sector: u.sector }));
    // Grouped by sector, so that offices and hospitals are not mixed.
    return (['administration', 'health'] as const)
      .map((sector) => ({ group: t(`unit.sector.${sector}`), items: options.filter((u) => u.sector === sector) }))
      .filter((g) => g.items.length > 0)
      .map((g) => ({ group: g.group, items: g.items.map(({ value, label }) => ({ value, label })) }));
  }, [units, t]);
  return (
    <Select
      {...rest}
      searchable
      filter={groupedUnitFilter}
      limit={100}
      value={value}
      onChange={onChange}
      data={data}
      nothingFoundMessage={t('users.noUnitMatch')}
    />
  );
}

// The same accent-insensitive match, keeping groups.
const groupedUnitFilter: OptionsFilter = ({ options, search, limit }) => {
  const out: typeof options = [];
  let left = limit;
  for (const o of options) {
    if ('group' in o) {
      const items = o.items.filter((i) => matchesQuery(search, searchKey(i.label))).slice(0, left);
      left -= items.length;
      if (items.length) out.push({ ...o, items });
    } else if (left > 0 && matchesQuery(search, searchKey((o as ComboboxItem).label))) {
      out.push(o);
      left--;
    }
  }
  return out;
};

const ALL_MONTHS = '*';

/** Month picker over the last `count` months (newest first); `allLabel` adds a choice for no month (value ''). */
export function MonthSelect({
  value,
  onChange,
  timeZone,
  count = 24,
  allLabel,
  ...rest
}: BaseProps & { value: string; onChange: (v: string) => void; timeZone: string; count?: number; allLabel?: string }) {
  const { i18n } = useTranslation();
  const data = useMemo(() => {
    const months = recentMonths(count, timeZone).map((m) => ({ value: m, label: formatMonth(m, i18n.language) }));
    return allLabel ? [{ value: ALL_MONTHS, label: allLabel }, ...months] : months;
  }, [count, timeZone, i18n.language, allLabel]);
  return (
    <Select
      {...rest}
      allowDeselect={false}
      value={value || (allLabel ? ALL_MONTHS : null)}
      onChange={(v) => onChange(!v || v === ALL_MONTHS ? '' : v)}
      data={data}
    />
  );
}
