import { type ComboboxItem, type OptionsFilter, Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../shared/format';
import { matchesQuery, searchKey } from '../../../shared/normalize';
import { ROLES, type Role, type Unit } from '../../../shared/types';

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
