/**
 * Master data every other record points at: currencies, units, taxes, organizations,
 * accounts, companies, vendors, customers, sites, locations, storerooms, teams, users,
 * labor, product groups and the status lists of every documented `/statuses/...`.
 */
import {
	ACCOUNTS, AREAS, COMPANIES, CURRENCIES, CUSTOMERS, FIRST_NAMES, LAST_NAMES, PRODUCT_GROUPS, ROLES,
	SITES, STREETS, TEAMS, TAXES_BY_NAME, UNITS,
} from '../vocabulary';
import type { Seeder } from '../seeder';

/** Status lists per scope: [code, name]. The first entries are where new records start. */
export const STATUS_SETS: Record<string, Array<[string, string]>> = {
	'work-orders': [['WAPPR', 'Waiting on Approval'], ['APPR', 'Approved'], ['WSCH', 'Waiting to be Scheduled'], ['INPRG', 'In Progress'], ['WMATL', 'Waiting on Material'], ['COMP', 'Completed'], ['CLOSE', 'Closed'], ['CAN', 'Cancelled']],
	'purchase-orders': [['DRAFT', 'Draft'], ['WAPPR', 'Waiting on Approval'], ['APPR', 'Approved'], ['SENT', 'Sent to Vendor'], ['PARTIAL', 'Partially Received'], ['RECEIVED', 'Received'], ['CLOSED', 'Closed'], ['CAN', 'Cancelled']],
	'service-requests': [['NEW', 'New'], ['QUEUED', 'Queued'], ['INPROG', 'In Progress'], ['RESOLVED', 'Resolved'], ['CLOSED', 'Closed'], ['REJECTED', 'Rejected']],
	'return-orders': [['DRAFT', 'Draft'], ['APPR', 'Approved'], ['SHIPPED', 'Shipped to Vendor'], ['CREDITED', 'Credited'], ['CLOSED', 'Closed']],
	'purchase-requisitions': [['DRAFT', 'Draft'], ['WAPPR', 'Waiting on Approval'], ['APPR', 'Approved'], ['ORDERED', 'Ordered'], ['REJECTED', 'Rejected']],
	'sales-orders': [['DRAFT', 'Draft'], ['CONFIRMED', 'Confirmed'], ['PICKING', 'Picking'], ['SHIPPED', 'Shipped'], ['INVOICED', 'Invoiced'], ['CLOSED', 'Closed'], ['CANCELLED', 'Cancelled']],
	projects: [['PLANNED', 'Planned'], ['ACTIVE', 'Active'], ['ONHOLD', 'On Hold'], ['COMPLETED', 'Completed']],
	invoices: [['DRAFT', 'Draft'], ['OPEN', 'Open'], ['APPROVED', 'Approved'], ['PAID', 'Paid'], ['OVERDUE', 'Overdue'], ['VOID', 'Void']],
	'production-orders': [['PLANNED', 'Planned'], ['RELEASED', 'Released'], ['INPROG', 'In Progress'], ['COMPLETED', 'Completed'], ['CLOSED', 'Closed']],
	rfq: [['DRAFT', 'Draft'], ['SENT', 'Sent'], ['QUOTED', 'Quoted'], ['AWARDED', 'Awarded'], ['CLOSED', 'Closed']],
	receiving: [['EXPECTED', 'Expected'], ['PARTIAL', 'Partially Received'], ['RECEIVED', 'Received'], ['CLOSED', 'Closed']],
	fulfillments: [['NEW', 'New'], ['PICKING', 'Picking'], ['PACKED', 'Packed'], ['SHIPPED', 'Shipped'], ['DELIVERED', 'Delivered'], ['CANCELLED', 'Cancelled']],
	'stock-transfers': [['DRAFT', 'Draft'], ['RELEASED', 'Released'], ['INTRANSIT', 'In Transit'], ['RECEIVED', 'Received'], ['CANCELLED', 'Cancelled']],
	'shipment-orders': [['NEW', 'New'], ['PICKED', 'Picked'], ['SHIPPED', 'Shipped'], ['DELIVERED', 'Delivered'], ['CANCELLED', 'Cancelled']],
};

function person(s: Seeder): string {
	return `${s.prng.pick(FIRST_NAMES)} ${s.prng.pick(LAST_NAMES)}`;
}

export function seedReference(s: Seeder): void {
	const p = s.prng;
	CURRENCIES.forEach(([code, name], i) =>
		s.add('currencies', { code, name, isBase: i === 0, isActive: true, ...s.stamps(900) }),
	);
	const base = s.rows('currencies')[0].key;
	for (const currency of s.rows('currencies').slice(1)) {
		for (let month = 0; month < 3; month++) {
			s.add('exchange-rates', {
				currencyKey: currency.key,
				baseCurrencyKey: base,
				rate: p.amount(0.1, 1.4, 4),
				createdAt: s.date(-90 + month * 30, -60 + month * 30),
			});
		}
	}
	UNITS.forEach(([code, name], i) => s.add('uom', { code, name, rateBaseKey: null, rate: '1', isActive: i < 11 }));

	const organizations = ['Nordic Process Industries', 'Continental Packaging Group'].map((name, i) =>
		s.add('organizations', {
			name,
			code: i === 0 ? 'NPI' : 'CPG',
			description: `${name} operating company`,
			currencyKey: base,
			addresses: [s.address()],
			billingAddress: s.address(undefined, name),
			contacts: [s.contact(person(s), 'Finance Controller')],
			...s.stamps(900),
		}),
	);
	const org = () => p.pick(organizations).key;

	for (const [name, percentage] of TAXES_BY_NAME) {
		s.add('taxes', { organizationKey: org(), name, type: 'VAT', taxPercentage: percentage, isActive: true });
	}
	for (const [code, name] of ACCOUNTS) {
		s.add('accounts', { code, name, description: `GL ${code} ${name}`, activatedAt: s.date(-1500, -700), expiresAt: null });
	}
	for (const [scope, statuses] of Object.entries(STATUS_SETS)) {
		for (const [code, name] of statuses) {
			s.add(`statuses/${scope}`, { organizationKey: organizations[0].key, name, code, subCode: null, scope, isActive: true, ...s.stamps(900) });
		}
	}
	COMPANIES.forEach((name, i) =>
		s.add('companies', {
			organizationKey: org(),
			name,
			code: `C${String(1000 + i)}`,
			addresses: [s.address()],
			billingAddress: s.address(undefined, name),
			currencyKey: p.pick(s.rows('currencies')).key,
		}),
	);
	for (const company of s.rows('companies').slice(0, 25)) {
		s.add('vendors', { name: company.name, code: `V${String(company.code).slice(1)}`, companyKey: company.key, organizationKey: company.organizationKey });
	}
	CUSTOMERS.forEach((name, i) => {
		const address = s.address(undefined, name);
		s.add('customers', { name, code: `CU${String(2000 + i)}`, organizationKey: org(), addresses: [address], billingAddress: address, companyKey: null });
	});

	SITES.slice(0, 4).forEach((site) =>
		s.add('sites', {
			organizationKey: organizations[0].key,
			name: site.name,
			code: site.code,
			description: `${site.name}, ${site.city}`,
			contact: s.contact(person(s), 'Site Manager'),
			customerKey: null,
			lat: site.lat,
			lng: site.lng,
			address: s.address({ ...site, streets: STREETS }, site.name),
			billingAddress: s.address({ ...site, streets: STREETS }, 'Accounts Payable'),
			properties: null,
			...s.stamps(900),
		}),
	);
	const sites = s.rows('sites');
	for (const team of TEAMS) s.add('teams', { name: team, code: team.slice(0, 4).toUpperCase(), description: `${team} maintenance team`, organizationKey: organizations[0].key, accountKey: s.pickKey('accounts') });
	for (let i = 0; i < 30; i++) {
		const name = person(s);
		s.add('users', { organizationKey: organizations[0].key, siteKeys: [p.pick(sites).key], locationKeys: [], name, roleName: p.pick(ROLES), description: null, isActive: 'true' });
	}
	sites.forEach((site, siteIndex) => {
		const areas = AREAS.slice(0, 10);
		for (const area of areas) {
			s.add('locations', {
				siteKey: site.key,
				organizationKey: site.organizationKey,
				name: `${site.code} ${area}`,
				code: `${site.code}-${area.replace(/[^A-Za-z0-9]+/g, '').slice(0, 8).toUpperCase()}`,
				description: `${area} at ${site.name}`,
				type: area.startsWith('Warehouse') || area === 'Cold Store' ? 'Storage' : 'Operating',
				address: site.address,
				isActive: true,
				contact: null,
				isDefault: area === areas[0],
				teamKey: s.pickKey('teams'),
				userManagerKey: s.pickKey('users'),
			});
		}
		for (const [i, kind] of ['Main Stores', 'Electrical Stores'].entries()) {
			const location = s.rows('locations').filter((l) => l.siteKey === site.key)[8 + i];
			s.add('storerooms', {
				siteKey: site.key,
				locationKey: location?.key ?? null,
				code: `${site.code}-ST${siteIndex}${i}`,
				name: `${site.code} ${kind}`,
				type: i === 0 ? 'Central' : 'Satellite',
				description: `${kind} at ${site.name}`,
				priority: String(i + 1),
				userManagerKey: s.pickKey('users'),
			});
		}
	});
	for (const user of s.rows('users').slice(0, 25)) {
		const [firstName, lastName] = String(user.name).split(' ');
		s.add('labors', {
			organizationKeys: [user.organizationKey],
			siteKeys: user.siteKeys,
			locationKeys: [],
			userKey: user.key,
			vendorKey: null,
			code: `L${p.int(1000, 9999)}`,
			name: user.name,
			firstName,
			middleName: null,
			lastName,
			roleName: user.roleName,
			isActive: true,
			costUomKey: s.rows('uom').find((u) => u.code === 'H')?.key ?? null,
			currencyKey: base,
		});
	}
	PRODUCT_GROUPS.forEach((name, i) => s.add('groups', { name, code: `G${10 + i}`, description: `${name} product group`, parentKey: null }));
}
