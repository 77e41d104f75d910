import {
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Body } from '../common/decorators/body.decorator.js';
import { ChecksBeforeBody } from '../common/decorators/checks-before-body.decorator.js';
import { etagOf } from '../common/http/etag.js';
import { jsonBody } from '../common/http/json-body.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { ApiResponseHeaders } from '../common/openapi/api-response-headers.decorator.js';
import { problemResponse } from '../common/openapi/problem-response.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { ClearCompletedEnvelopeDto, CompleteAllEnvelopeDto } from './dto/bulk-result.dto.js';
import { ClearCompletedQuery } from './dto/clear-completed.query.js';
import { CompleteAllDto } from './dto/complete-all.dto.js';
import { CompleteTaskDto } from './dto/complete-task.dto.js';
import { CreateTaskDto } from './dto/create-task.dto.js';
import { ListTasksQuery } from './dto/list-tasks.query.js';
import { ReplaceTaskDto } from './dto/replace-task.dto.js';
import { TaskFilterQuery } from './dto/task-filter.query.js';
import { TaskEnvelopeDto, TaskListEnvelopeDto, TaskResponseDto } from './dto/task-response.dto.js';
import { UpdateTaskDto } from './dto/update-task.dto.js';
import { ApiInsufficientRole, ConditionalWrite } from './conditional-write.decorator.js';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_TTL_HOURS, parseIdempotencyKey } from './idempotency-key.js';
import type { TaskRow } from './task-columns.js';
import { TaskPrecondition } from './task-precondition.js';
import { Scope } from './task-scope.decorator.js';
import { type TaskScope, TasksService } from './tasks.service.js';
import { requestPathOf } from '../common/http/request-path.js';

const IDEMPOTENCY_KEY = {
  name: IDEMPOTENCY_KEY_HEADER,
  required: false,
  description:
    'Makes a retry safe (IETF httpapi idempotency-key draft): a Structured Field string such as `"8e03978e-…"` ' +
    '(a bare token is accepted too), 1 to 255 printable ASCII characters, unique per request. Within ' +
    `${IDEMPOTENCY_KEY_TTL_HOURS} hours the same key with the same body and list returns the first response (201, same task) ` +
    'and creates nothing; with another body, or for another list, it is a 422. Keys belong to the caller, across ' +
    '`/api/tasks`, `/api/{userId}/tasks` and `/api/lists/{listId}/tasks`.',
  schema: { type: 'string', minLength: 1, maxLength: 257, example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"' },
};

/**
 * `/api/tasks`: the tasks of every list the caller belongs to (a viewer reads, an editor writes).
 * `UserTasksController` serves the same routes under `/api/{userId}/tasks`, `ListTasksController`
 * under `/api/lists/{listId}/tasks` for one list.
 */
@ApiTags('tasks')
@ApiBearerAuth()
@ChecksBeforeBody(TaskPrecondition)
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasksService: TasksService) {}

  @Get()
  @ApiOperation({
    summary: 'List tasks: filters, sort and keyset cursor (newest first by default)',
    description:
      'The tasks of every list the caller belongs to (`/api/tasks`, `/api/{userId}/tasks`; `listId` narrows to one), ' +
      'or of the path’s list. A parameter with an empty or whitespace-only value (as an HTML form sends it) counts as not given.',
  })
  @ApiOkResponse({ type: TaskListEnvelopeDto })
  @ApiProblems(400, 401, 404)
  async list(
    @Scope() scope: TaskScope,
    @Query() query: ListTasksQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const { tasksJson, total, nextCursor } = await this.tasksService.list(scope, query);
    // A `TaskListEnvelopeDto`, written around the tasks' JSON as PostgreSQL built it.
    const meta = JSON.stringify({ total, limit: query.limit, nextCursor });
    return jsonBody(response, `{"data":${tasksJson},"meta":${meta}}`);
  }

  @Post()
  @ApiOperation({
    summary: 'Create a task; with an Idempotency-Key, a retried request returns the first response and creates nothing',
    description:
      'In the list the body’s `listId` names, else the caller’s default list (under `/api/lists/{listId}/tasks`: that list). `editor` needed.',
  })
  @ApiResponseHeaders('ETag')
  @ApiInsufficientRole()
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiProblems(400, 401, 404, 413, 415, 422)
  @ApiResponse({
    status: 409,
    ...problemResponse(409),
    description:
      '`limit-reached`: the list holds MAX_TASKS_PER_LIST tasks, or (with an Idempotency-Key) the caller holds MAX_IDEMPOTENCY_KEYS_PER_USER unexpired keys',
  })
  async create(
    @Scope() scope: TaskScope,
    @Body() dto: CreateTaskDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    const key = parseIdempotencyKey(idempotencyKey);
    const task = await this.tasksService.create(
      scope,
      dto,
      key === undefined ? undefined : { key, body: request.body },
    );
    // The path only: an absolute-form request target names a host the client chose, and a path
    // starting with `//` would read as one (a protocol-relative reference).
    const base = requestPathOf(request.originalUrl).replace(/^\/+/, '/').replace(/\/+$/, '');
    response.location(`${base}/${task.id}`);
    return withEtag(response, task);
  }

  // The bulk routes come before the `:id` routes: Express matches in order of declaration.
  @Post('complete-all')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Complete (or reopen) every task of one list matching the filters, atomically; returns how many changed',
    description:
      'Acts on one list: the body’s `listId`, else the caller’s default list (under `/api/lists/{listId}/tasks`: that list). `editor` needed.',
  })
  @ApiInsufficientRole()
  @ApiProblems(400, 401, 404, 413, 415)
  async completeAll(
    @Scope() scope: TaskScope,
    @Query() filters: TaskFilterQuery,
    @Body() dto: CompleteAllDto,
  ): Promise<CompleteAllEnvelopeDto> {
    return {
      data: { changed: await this.tasksService.completeMatching(scope, filters, dto.completed, dto.listId) },
    };
  }

  @Delete('completed')
  @ApiOperation({
    summary: 'Delete every completed task of one list, atomically; returns how many',
    description:
      'Acts on one list: the `listId` query parameter, else the caller’s default list (under `/api/lists/{listId}/tasks`: that list). `editor` needed.',
  })
  @ApiInsufficientRole()
  @ApiProblems(400, 401, 404)
  async clearCompleted(
    @Scope() scope: TaskScope,
    @Query() query: ClearCompletedQuery,
  ): Promise<ClearCompletedEnvelopeDto> {
    return { data: { deleted: await this.tasksService.clearCompleted(scope, query.listId) } };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a task' })
  @ApiResponseHeaders('ETag')
  @ApiProblems(400, 401, 404)
  async get(
    @Scope() scope: TaskScope,
    @Param('id', uuidPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    return withEtag(response, await this.tasksService.findVisible(scope, id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a task (omitted optional fields return to their defaults)' })
  @ConditionalWrite({ body: true, returnsTask: true })
  async replace(
    @Scope() scope: TaskScope,
    @Param('id', uuidPipe) id: string,
    @Body() dto: ReplaceTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    return withEtag(response, await this.tasksService.replace(scope, id, dto, ifMatch));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change some fields of a task; `listId` moves it to another list (`editor` on both)',
  })
  @ConditionalWrite({ body: true, returnsTask: true })
  async update(
    @Scope() scope: TaskScope,
    @Param('id', uuidPipe) id: string,
    @Body() dto: UpdateTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    if (Object.values(dto).every((value) => value === undefined)) {
      throw ValidationProblemException.of('body', 'must contain at least one writable field');
    }
    return withEtag(response, await this.tasksService.update(scope, id, dto, ifMatch));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a task' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ConditionalWrite({ body: false, returnsTask: false })
  async remove(
    @Scope() scope: TaskScope,
    @Param('id', uuidPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.tasksService.remove(scope, id, ifMatch);
  }

  @Patch(':id/complete')
  @ApiOperation({ summary: 'Set `completed` (with a body) or toggle it (without one)' })
  @ApiBody({ type: CompleteTaskDto, required: false })
  @ConditionalWrite({ body: true, returnsTask: true })
  async complete(
    @Scope() scope: TaskScope,
    @Param('id', uuidPipe) id: string,
    @Body() dto: CompleteTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    const task =
      dto.completed === undefined
        ? await this.tasksService.toggle(scope, id, ifMatch)
        : await this.tasksService.setCompleted(scope, id, dto.completed, ifMatch);
    return withEtag(response, task);
  }

  @Post(':id/toggle')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Flip `completed` atomically' })
  @ConditionalWrite({ body: false, returnsTask: true })
  async toggle(
    @Scope() scope: TaskScope,
    @Param('id', uuidPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    return withEtag(response, await this.tasksService.toggle(scope, id, ifMatch));
  }
}

function withEtag(response: Response, task: TaskRow): TaskEnvelopeDto {
  response.setHeader('ETag', etagOf(task.version));
  return { data: toResponse(task) };
}

function toResponse(task: TaskRow): TaskResponseDto {
  return {
    id: task.id,
    userId: task.userId,
    listId: task.listId,
    assigneeId: task.assigneeId,
    createdBy: task.createdBy,
    updatedBy: task.updatedBy,
    completedBy: task.completedBy,
    title: task.title,
    description: task.description,
    completed: task.completed,
    completedAt: task.completedAt,
    priority: task.priority,
    dueAt: task.dueAt,
    tags: task.tags,
    version: task.version,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}
