/** Words for a plausible manufacturing plant: names a maintenance planner would recognise. */

export const SITES = [
	{ name: 'Aarhus Bottling Plant', code: 'AAR', city: 'Aarhus', country: 'DK', postCode: '8200', lat: '56.1629', lng: '10.2039' },
	{ name: 'Gothenburg Paper Mill', code: 'GOT', city: 'Gothenburg', country: 'SE', postCode: '41756', lat: '57.7089', lng: '11.9746' },
	{ name: 'Rotterdam Distribution Center', code: 'RTM', city: 'Rotterdam', country: 'NL', postCode: '3011', lat: '51.9244', lng: '4.4777' },
	{ name: 'Lyon Assembly Plant', code: 'LYS', city: 'Lyon', country: 'FR', postCode: '69007', lat: '45.7640', lng: '4.8357' },
	{ name: 'Katowice Foundry', code: 'KTW', city: 'Katowice', country: 'PL', postCode: '40-001', lat: '50.2649', lng: '19.0238' },
	{ name: 'Bilbao Packaging Plant', code: 'BIO', city: 'Bilbao', country: 'ES', postCode: '48001', lat: '43.2630', lng: '-2.9350' },
];

export const AREAS = [
	'Filling Line 1', 'Filling Line 2', 'Boiler House', 'Compressor Room', 'Packaging Hall', 'Cold Store',
	'Water Treatment', 'Paint Shop', 'Press Shop', 'Warehouse A', 'Warehouse B', 'Loading Dock',
	'Electrical Substation', 'Workshop', 'Mixing Room', 'Quality Lab', 'Pump House', 'Roof Plant Room',
];

export const ASSET_TYPES = [
	{ name: 'Centrifugal Pump', category: 'Pumps', makes: ['Grundfos', 'KSB', 'Sulzer'], models: ['NB 65-200', 'Etanorm 080', 'AHLSTAR A'] },
	{ name: 'Air Compressor', category: 'Compressed Air', makes: ['Atlas Copco', 'Kaeser', 'Ingersoll Rand'], models: ['GA 37 VSD', 'ASD 60', 'R55n'] },
	{ name: 'Conveyor Belt', category: 'Conveyors', makes: ['Interroll', 'Dorner', 'Habasit'], models: ['RollerDrive EC5000', '3200 Series', 'HabaFLOW'] },
	{ name: 'Electric Motor', category: 'Motors', makes: ['ABB', 'Siemens', 'WEG'], models: ['M3BP 160', '1LE1 132', 'W22 IE3'] },
	{ name: 'Gearbox', category: 'Drives', makes: ['SEW-Eurodrive', 'Flender', 'Bonfiglioli'], models: ['R67', 'FZG 180', 'C 80'] },
	{ name: 'Hydraulic Press', category: 'Presses', makes: ['Schuler', 'Beckwood', 'Enerpac'], models: ['MSD 400', 'HP-250', 'ZE-5'] },
	{ name: 'Boiler', category: 'Steam', makes: ['Viessmann', 'Bosch', 'Cleaver-Brooks'], models: ['Vitomax 200', 'UL-S 8000', 'CBEX Elite'] },
	{ name: 'Chiller', category: 'HVAC', makes: ['Carrier', 'Trane', 'Daikin'], models: ['30XA 502', 'RTAF 300', 'EWAD-TZ'] },
	{ name: 'Forklift', category: 'Vehicles', makes: ['Toyota', 'Linde', 'Jungheinrich'], models: ['8FBE18', 'E20 PH', 'EFG 320'] },
	{ name: 'Filling Machine', category: 'Packaging', makes: ['Krones', 'Sidel', 'KHS'], models: ['Modulfill VFS', 'Super Combi', 'Innofill Glass'] },
	{ name: 'Labeller', category: 'Packaging', makes: ['Krones', 'Herma', 'P.E. Labellers'], models: ['Ergomodul', '500 Wrap', 'Modular Plus'] },
	{ name: 'Cooling Tower', category: 'HVAC', makes: ['Baltimore Aircoil', 'EVAPCO', 'SPX'], models: ['Series 3000', 'AT 112', 'Marley NC'] },
	{ name: 'Transformer', category: 'Electrical', makes: ['Schneider Electric', 'Siemens', 'ABB'], models: ['Trihal 1000', 'GEAFOL 630', 'RESIBLOC'] },
	{ name: 'Industrial Robot', category: 'Automation', makes: ['FANUC', 'KUKA', 'ABB'], models: ['M-20iD/25', 'KR QUANTEC', 'IRB 6700'] },
	{ name: 'Heat Exchanger', category: 'Thermal', makes: ['Alfa Laval', 'SWEP', 'Kelvion'], models: ['M10-BFG', 'B28H', 'NT 100'] },
];

export const WORK_ORDER_PROBLEMS = [
	'Bearing noise', 'Oil leak', 'High vibration', 'Overheating', 'Seal replacement', 'Belt misalignment',
	'Pressure drop', 'Motor trip', 'Sensor fault', 'Calibration due', 'Filter clogged', 'Coupling wear',
	'Lubrication', 'Quarterly inspection', 'Annual service', 'Electrical inspection', 'Leak test',
	'Valve replacement', 'Thermal imaging', 'Safety guard damaged',
];

export const TASKS = [
	'Isolate and lock out equipment', 'Inspect for visible damage', 'Check oil level and top up',
	'Measure vibration at bearings', 'Replace filter element', 'Tighten electrical terminals',
	'Test safety interlocks', 'Clean and restore area', 'Record meter reading', 'Return equipment to service',
];

export const PARTS = [
	{ name: 'Deep Groove Ball Bearing 6205-2RS', maker: 'SKF', uom: 'EA', cost: [8, 25] },
	{ name: 'Mechanical Seal 35 mm', maker: 'John Crane', uom: 'EA', cost: [120, 380] },
	{ name: 'V-Belt SPA 1250', maker: 'Gates', uom: 'EA', cost: [12, 30] },
	{ name: 'Hydraulic Oil HLP 46', maker: 'Shell', uom: 'L', cost: [3, 6] },
	{ name: 'Air Filter Element', maker: 'Donaldson', uom: 'EA', cost: [35, 90] },
	{ name: 'O-Ring Kit NBR', maker: 'Parker', uom: 'SET', cost: [15, 45] },
	{ name: 'Contactor 3P 25 A', maker: 'Schneider Electric', uom: 'EA', cost: [40, 110] },
	{ name: 'Proximity Sensor M18', maker: 'Sick', uom: 'EA', cost: [60, 160] },
	{ name: 'Grease Cartridge EP2', maker: 'Mobil', uom: 'EA', cost: [6, 14] },
	{ name: 'Coupling Insert', maker: 'KTR', uom: 'EA', cost: [18, 60] },
	{ name: 'Gear Oil ISO VG 220', maker: 'Castrol', uom: 'L', cost: [4, 9] },
	{ name: 'Conveyor Roller 50 mm', maker: 'Interroll', uom: 'EA', cost: [22, 55] },
	{ name: 'Solenoid Valve 24 VDC', maker: 'Festo', uom: 'EA', cost: [70, 190] },
	{ name: 'Fuse 10 A gG', maker: 'Eaton', uom: 'BOX', cost: [9, 20] },
	{ name: 'Pressure Gauge 0-10 bar', maker: 'WIKA', uom: 'EA', cost: [25, 70] },
	{ name: 'Timing Belt HTD 8M', maker: 'Optibelt', uom: 'EA', cost: [30, 95] },
	{ name: 'Pump Impeller', maker: 'Grundfos', uom: 'EA', cost: [210, 640] },
	{ name: 'Cable Tie 300 mm', maker: 'HellermannTyton', uom: 'BOX', cost: [5, 12] },
];

export const COMPANIES = [
	'SKF Nordic', 'Grundfos Service', 'Atlas Copco Compressors', 'ABB Motion', 'Siemens Industry', 'Parker Hannifin',
	'Festo', 'Schneider Electric', 'Würth Industrie', 'RS Components', 'Kaeser Kompressoren', 'Sulzer Pumps',
	'Alfa Laval Service', 'Interroll', 'Gates Industrial', 'Donaldson Filtration', 'Sick Sensor Intelligence',
	'Linde Material Handling', 'Trane Nordic', 'Eaton Electrical', 'WIKA Instruments', 'Brammer Buck & Hickman',
	'Castrol Industrial', 'Shell Lubricants', 'KSB Service', 'Flender Drives', 'Krones Lifecycle Service',
	'Mobil Industrial', 'Optibelt', 'John Crane',
];

export const CUSTOMERS = [
	'Nordic Beverages', 'Baltic Foods', 'Hansa Retail', 'Alpine Dairy', 'Iberia Drinks', 'Polar Logistics',
	'Fjord Seafood', 'Rhine Chemicals', 'Danube Packaging', 'Atlantic Paper', 'Meridian Wholesale', 'Vega Markets',
];

export const FIRST_NAMES = ['Anna', 'Lars', 'Sofia', 'Mikkel', 'Emma', 'Jonas', 'Ida', 'Pierre', 'Marta', 'Tomasz', 'Eva', 'Jan', 'Lucia', 'Henrik', 'Clara', 'Ole', 'Nina', 'Pablo', 'Greta', 'Piotr'];
export const LAST_NAMES = ['Jensen', 'Nielsen', 'Andersson', 'Dubois', 'Kowalski', 'Garcia', 'de Vries', 'Larsen', 'Berg', 'Martin', 'Nowak', 'Lindqvist', 'Moreau', 'Hansen', 'Fernandez'];
export const ROLES = ['Maintenance Technician', 'Electrician', 'Mechanic', 'Planner', 'Maintenance Manager', 'Storekeeper', 'Reliability Engineer', 'Buyer', 'Operator'];
export const TEAMS = ['Mechanical', 'Electrical', 'Instrumentation', 'Utilities', 'Facilities', 'Contractors', 'Night Shift', 'Reliability'];
export const ACCOUNTS = [
	['6100', 'Maintenance Labor'], ['6110', 'Maintenance Materials'], ['6120', 'Contractor Services'],
	['6130', 'Spare Parts Inventory'], ['6200', 'Utilities'], ['6300', 'Tools and Equipment'],
	['6400', 'Safety and Compliance'], ['6500', 'Facilities'], ['1500', 'Capital Projects'],
	['5000', 'Cost of Goods Sold'], ['4000', 'Sales Revenue'], ['2100', 'Accounts Payable'],
];
export const UNITS = [
	['EA', 'Each'], ['KG', 'Kilogram'], ['L', 'Litre'], ['M', 'Metre'], ['H', 'Hour'], ['BOX', 'Box'],
	['SET', 'Set'], ['PAIR', 'Pair'], ['PAL', 'Pallet'], ['KWH', 'Kilowatt hour'], ['BAR', 'Bar'], ['C', 'Degree Celsius'],
];
export const CURRENCIES = [
	['EUR', 'Euro'], ['USD', 'US Dollar'], ['DKK', 'Danish Krone'], ['SEK', 'Swedish Krona'], ['GBP', 'Pound Sterling'], ['PLN', 'Polish Zloty'],
];
export const SEVERITIES = ['Low', 'Medium', 'High', 'Critical'];
export const CRITICALITIES = ['A', 'B', 'C'];
export const WORK_CATEGORIES = ['Corrective', 'Preventive', 'Predictive', 'Inspection', 'Safety', 'Project'];
export const SHIPPING_METHODS = ['Road freight', 'Courier', 'Pallet network', 'Customer pickup', 'Sea freight'];
export const CARRIERS = ['DHL Freight', 'DSV Road', 'DB Schenker', 'PostNord', 'UPS', 'Kuehne+Nagel'];
export const TERMS = ['Net 30', 'Net 45', 'Net 60', '2/10 Net 30', 'Due on receipt'];
export const STREETS = ['Industrivej', 'Fabriksgatan', 'Havenweg', 'Rue de l’Industrie', 'ul. Przemysłowa', 'Calle Industria'];
export const PRODUCTS = [
	'Sparkling Water 0.5 L', 'Apple Juice 1 L', 'Oat Drink 1 L', 'Kraft Paper Roll 120 g', 'Corrugated Box 40x30',
	'Steel Bracket Type A', 'Aluminium Housing', 'Pallet Wrap Film', 'Glass Bottle 0.33 L', 'Bottle Cap 28 mm',
	'Shrink Sleeve Label', 'Carton Tray 24', 'Gear Housing Casting', 'Valve Body DN50', 'Pump Shaft 35 mm',
];
export const PRODUCT_GROUPS = ['Beverages', 'Packaging', 'Castings', 'Components', 'Consumables', 'Raw Materials', 'Finished Goods', 'Spare Parts', 'Labels', 'Pallets'];
export const ADJUSTMENT_REASONS = ['Cycle count', 'Damaged goods', 'Expired', 'Found stock', 'Write-off', 'Quality hold released'];
export const PROJECTS = ['Line 3 Expansion', 'Boiler Replacement', 'LED Retrofit', 'Compressed Air Leak Program', 'Warehouse Racking', 'ERP Cutover', 'Solar Roof', 'Wastewater Upgrade', 'Robot Cell 2', 'Cold Store Refurbishment'];

export interface Place {
	city: string;
	country: string;
	postCode: string;
	streets?: string[];
}

/** Places for addresses of vendors and customers that are not one of the plant's sites. */
export const PLACES: Place[] = [
	...SITES.map((s) => ({ city: s.city, country: s.country, postCode: s.postCode, streets: STREETS })),
	{ city: 'Hamburg', country: 'DE', postCode: '20095', streets: ['Industriestraße', 'Hafenstraße'] },
	{ city: 'Milan', country: 'IT', postCode: '20121', streets: ['Via Industria', 'Via Roma'] },
	{ city: 'Manchester', country: 'GB', postCode: 'M1 1AE', streets: ['Trafford Park Road', 'Mill Lane'] },
];

export const TAXES_BY_NAME: Array<[string, string]> = [
	['VAT 25% DK', '25.00'], ['VAT 25% SE', '25.00'], ['VAT 21% NL', '21.00'], ['VAT 20% FR', '20.00'], ['Zero rated', '0.00'],
];
